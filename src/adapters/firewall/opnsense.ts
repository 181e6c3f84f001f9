/**
 * OPNsense `config.xml` (System → Configuration → Backups) → canonical firewall document.
 * Shares everything with pfSense through ./pf-common.ts; OPNsense specifics:
 * - booleans are text (`<disabled>1</disabled>`, `<any>1</any>`) but older versions write
 *   presence-only elements: both are read (`0` is false, an empty element is true);
 * - rule ids are the `uuid` attribute;
 * - aliases come from the MVC model `/opnsense/OPNsense/Firewall/Alias/aliases/alias` (`content`
 *   newline-separated, `enabled`) and the legacy `/opnsense/aliases/alias`; MVC wins on a clash;
 *   `__<if>_network` names the interface's network;
 * - besides the legacy `<filter><rule>` list, the MVC rules
 *   `/opnsense/OPNsense/Firewall/Filter/rules/rule` are emitted too, ordered by `sequence`
 *   (model defaults when a field is absent: enabled, pass, in, inet, any protocol, any address);
 * - a port-forward whose `<pass>` is `pass` or `rule` (register rule) passes traffic itself.
 */
import type { Adapter } from '../types.js';
import { attribute, children, element, isElement, path, text, value, type XmlElement } from './config-xml.js';
import {
  actionOf,
  directionOf,
  familyOf,
  interfacesOf,
  normalizePfConfig,
  protocolOf,
  resolveAddresses,
  resolvePorts,
  textFlag,
  type PfContext,
  type PfDialect,
  type RuleDraft,
} from './pf-common.js';

function mvcRules(ctx: PfContext): RuleDraft[] {
  const nodes = children(path(ctx.root, 'OPNsense', 'Firewall', 'Filter', 'rules'), 'rule').filter(isElement);
  const keyed = nodes.map((node, index) => {
    const seq = Number(value(node, 'sequence'));
    return { node, index, seq: Number.isFinite(seq) ? seq : Number.POSITIVE_INFINITY };
  });
  keyed.sort((a, b) => a.seq - b.seq || a.index - b.index);
  return keyed.flatMap(({ node }) => mvcRule(ctx, node) ?? []);
}

function mvcRule(ctx: PfContext, rule: XmlElement): RuleDraft | undefined {
  const line = ctx.xml.lineOf(rule);
  const action = actionOf(ctx, value(rule, 'action') ?? 'pass', line);
  if (!action) return undefined;
  const family = familyOf(value(rule, 'ipprotocol'));
  const protocol = protocolOf(value(rule, 'protocol'), family);
  const net = (name: string) => (value(rule, name) ?? 'any').split(/[\s,]+/);
  const vendorId = attribute(rule, 'uuid');
  return {
    ...(vendorId ? { vendorId } : {}),
    interfaces: interfacesOf(ctx, value(rule, 'interface'), textFlag(rule, 'interfacenot')),
    enabled: text(rule, 'enabled') === undefined || textFlag(rule, 'enabled'),
    action,
    direction: directionOf(value(rule, 'direction')),
    protocol,
    sources: resolveAddresses(ctx, net('source_net'), family, textFlag(rule, 'source_not'), line),
    destinations: resolveAddresses(ctx, net('destination_net'), family, textFlag(rule, 'destination_not'), line),
    ports: resolvePorts(ctx, value(rule, 'destination_port'), protocol, line),
    log: textFlag(rule, 'log'),
    description: value(rule, 'description') ?? null,
    ...(line !== undefined ? { line } : {}),
  };
}

export const opnsenseDialect: PfDialect = {
  source: 'opnsense',
  rootName: 'opnsense',
  flag: textFlag,
  ruleId: (rule) => attribute(rule, 'uuid'),
  natId: (rule) => attribute(rule, 'uuid'),
  natPasses: (rule) =>
    value(rule, 'associated-rule-id') === 'pass' || ['pass', 'rule'].includes(value(rule, 'pass') ?? ''),
  aliasNodes: (root) => [
    ...children(path(root, 'OPNsense', 'Firewall', 'Alias', 'aliases'), 'alias'),
    ...children(element(root, 'aliases'), 'alias'),
  ],
  extraRules: mvcRules,
};

export const opnsenseAdapter: Adapter<'firewall'> = {
  kind: 'firewall',
  source: 'opnsense',
  parts: [
    {
      name: 'body',
      format: 'xml',
      required: true,
      description: 'OPNsense config.xml (System > Configuration > Backups > Download configuration)',
    },
  ],
  bodyPart: 'body',
  normalize: (input) => normalizePfConfig(input, opnsenseDialect),
};
