/**
 * pfSense `config.xml` (Diagnostics → Backup & Restore) → canonical firewall document.
 * Everything but the dialect lives in ./pf-common.ts (shared with OPNsense); see its header for
 * the decisions. pfSense specifics: booleans are presence-only (`<disabled/>`, `isset()` in
 * pfSense's own PHP), the rule id is `tracker`, aliases live in `/pfsense/aliases/alias`
 * (`address` space-separated) and a port-forward with `associated-rule-id` `pass` passes traffic
 * without a filter rule. Only firewall facts are read: users, password hashes, keys, PSKs and
 * certificates in the same file are never touched.
 */
import type { Adapter } from '../types.js';
import { children, element, value } from './config-xml.js';
import { normalizePfConfig, presenceFlag, type PfDialect } from './pf-common.js';

export const pfsenseDialect: PfDialect = {
  source: 'pfsense',
  rootName: 'pfsense',
  flag: presenceFlag,
  ruleId: (rule) => value(rule, 'tracker'),
  natId: (rule) => value(rule, 'tracker'),
  natPasses: (rule) => value(rule, 'associated-rule-id') === 'pass',
  aliasNodes: (root) => children(element(root, 'aliases'), 'alias'),
};

export const pfsenseAdapter: Adapter<'firewall'> = {
  kind: 'firewall',
  source: 'pfsense',
  parts: [
    {
      name: 'body',
      format: 'xml',
      required: true,
      description: 'pfSense config.xml (Diagnostics > Backup & Restore > Download configuration as XML)',
    },
  ],
  bodyPart: 'body',
  normalize: (input) => normalizePfConfig(input, pfsenseDialect),
};
