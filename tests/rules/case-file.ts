/**
 * The loader of `rules/checks/**\/*.cases.yaml`: structure checked by a JSON Schema, then each
 * expected item state parsed. A state that makes a finding (fail, insufficient_evidence, error,
 * waived) must say why, and a file where one does not is refused with its path and a JSON
 * Pointer, so a case can never pass on the state alone. run-case.ts runs a case through
 * `evaluate()`.
 *
 * ```yaml
 * rule: identity.dormant-accounts
 * cases:
 *   - name: what the case shows
 *     packs: [cis-controls-8.1, pci-dss-4.0.1]  # shipped packs; absent: a pack of this one rule
 *     packParams: { maxInactiveDays: 45 }       # that one-rule pack's parameters (not with packs)
 *     params: { maxInactiveDays: 60 }           # the tenant's, in every pack of the case
 *     waivers: [{ itemMatch: "u*", packId: null, expiresAt: …, revokedAt: …, createdAt: … }]
 *     asOf: …  collectedAt: …  lastConfirmedAt: …
 *     doc: { policies: [] }                     # the rest of the canonical document
 *     items: [{ id: u1, … }]                    # the collection the rule iterates
 *     expect:                                   # per item (hosts: per host); a map by pack with packs
 *       - pass
 *       - "pass assumed:status"                 # judged on an assumption
 *       - not_applicable
 *       - fail: "b is enabled but last signed in at …"   # a part of the finding's message
 *       - "fail stale": "…"
 *       - insufficient_evidence: "lastLoginAt is absent"
 *       - waived: "…"
 *     expectDetails: [null, ["name (why)"]]     # per item: a failing finding's details.policies
 *     collapsed: ["evidence collected 44 days ago"]  # findings naming no item, each by a part of its message
 * ```
 *
 * A reason is matched as a part of the message, so the text a finding adds after it (what an
 * assumption would need, how stale the export is) does not have to be repeated; write the whole
 * of what the rule says about that item, not a word of it.
 */
import { parse } from 'yaml';
import { FINDING_STATUSES, ITEM_STATES, type FindingStatus, type ItemState } from '../../src/core/vocabulary.js';
import type { JsonSchema } from '../../src/schemas/json-schema.js';
import { validate } from '../../src/schemas/validator.js';

export type ExpectedState = ItemState | FindingStatus;

/** One item's expected outcome in one pack. */
export interface Expectation {
  state: ExpectedState;
  /** fields the verdict rests on by assumption (`fail assumed:status`) */
  assumed: string[];
  /** the evidence was older than maxEvidenceAgeDays (`fail stale`) */
  stale: boolean;
  /** what the finding that reports the item says (a part of its message); required when it has one */
  reason?: string;
}

export interface WaiverSpec {
  id: string;
  itemMatch: string;
  /** null (default): every pack */
  packId: string | null;
  expiresAt: string;
  revokedAt: string | null;
  createdAt?: string;
}

export interface Case {
  name: string;
  /** the tenant's parameter overrides (for every pack of the case) */
  params: Record<string, unknown>;
  /** the parameters of the case's own one-rule pack (default: none); not with `packs` */
  packParams: Record<string, unknown>;
  /** shipped packs to evaluate instead of a pack of this one rule; `expect` is then per pack */
  packs?: string[];
  waivers: WaiverSpec[];
  asOf: string;
  /** when the export was taken (default: asOf); clock-dependent rules measure to it */
  collectedAt?: string;
  lastConfirmedAt?: string;
  doc: Record<string, unknown>;
  items: Record<string, unknown>[];
  /** pack id → per item (for `hosts`: per host, in first-seen order) */
  expect: Record<string, Expectation[]>;
  /**
   * Per item: what the failing finding's `details` name — for a rule whose details hold
   * `policies` [{name, why}], each as "name (why)"; `null` for an item that does not fail.
   */
  expectDetails?: (string[] | null)[];
  /**
   * The findings that name no item, in order, each by a part of its message: every item of an
   * export insufficient for one reason, or a stale export's passes. Absent: there are none.
   */
  collapsed: string[];
}

export interface CaseFile {
  file: string;
  rule: string;
  cases: Case[];
}

/** The id of the pack of one rule that a case without `packs` is evaluated in. */
export const CASE_PACK = 'conformance';
export const DEFAULT_AS_OF = '2026-11-01T00:00:00Z';

export class CaseFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { pointer: string; message: string }[],
  ) {
    super(`${file}: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`);
  }
}

const object = { type: 'object' } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const expectList = {
  type: 'array',
  items: {
    anyOf: [
      { type: 'string' },
      { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'string' } },
    ],
  },
} as const;

const schema: JsonSchema = {
  type: 'object',
  required: ['rule', 'cases'],
  additionalProperties: false,
  properties: {
    rule: { type: 'string', minLength: 1 },
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'items', 'expect'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          params: object,
          packParams: object,
          packs: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' } },
          waivers: {
            type: 'array',
            items: {
              type: 'object',
              required: ['itemMatch'],
              additionalProperties: false,
              properties: {
                id: { type: 'string' },
                itemMatch: { type: 'string' },
                packId: { type: ['string', 'null'] },
                expiresAt: instant,
                revokedAt: instant,
                createdAt: instant,
              },
            },
          },
          asOf: instant,
          collectedAt: instant,
          lastConfirmedAt: instant,
          doc: object,
          items: { type: 'array', items: object },
          expect: { anyOf: [expectList, { type: 'object', additionalProperties: expectList }] },
          expectDetails: {
            type: 'array',
            items: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'string' } }] },
          },
          collapsed: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
};

const STATES: readonly string[] = [...ITEM_STATES, ...FINDING_STATUSES];
/** the states whose item is reported by a finding: they must say why */
const NEEDS_REASON: readonly string[] = FINDING_STATUSES;

/** `fail`, `pass assumed:status`, `insufficient_evidence stale`: the state and its marks. */
export function parseState(text: string): Omit<Expectation, 'reason'> | string {
  const [state, ...marks] = text.trim().split(/\s+/);
  if (!state || !STATES.includes(state)) return `"${state}" is not one of ${STATES.join(', ')}`;
  const out: Omit<Expectation, 'reason'> = { state: state as ExpectedState, assumed: [], stale: false };
  for (const m of marks) {
    if (m === 'stale') out.stale = true;
    else if (/^assumed:[\w.]+(,[\w.]+)*$/.test(m)) out.assumed = m.slice('assumed:'.length).split(',');
    else return `"${m}" is neither "stale" nor "assumed:<field>,…"`;
  }
  return out;
}

/** The canonical text of a state and its marks (what `parseState` reads). */
export function stateLabel(e: Pick<Expectation, 'state' | 'assumed' | 'stale'>): string {
  return [
    e.state,
    ...(e.assumed.length > 0 ? [`assumed:${e.assumed.join(',')}`] : []),
    ...(e.stale ? ['stale'] : []),
  ].join(' ');
}

const an = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

function expectations(raw: unknown[], pointer: string, problems: CaseFileError['problems']): Expectation[] {
  return raw.map((entry, i) => {
    const at = `${pointer}/${i}`;
    const [text, reason] = typeof entry === 'string' ? [entry, undefined] : Object.entries(entry as object)[0]!;
    const parsed = parseState(text);
    if (typeof parsed === 'string') {
      problems.push({ pointer: at, message: parsed });
      return { state: 'error', assumed: [], stale: false };
    }
    if (reason !== undefined && String(reason).trim() === '')
      problems.push({ pointer: at, message: 'the reason is empty' });
    if (reason === undefined && NEEDS_REASON.includes(parsed.state))
      problems.push({
        pointer: at,
        message: `${an(parsed.state)} item needs its reason: write "- ${text}: <what its finding says>"`,
      });
    if (reason !== undefined && !NEEDS_REASON.includes(parsed.state))
      problems.push({ pointer: at, message: `${an(parsed.state)} item has no finding, so no reason to give` });
    return reason === undefined ? parsed : { ...parsed, reason: String(reason) };
  });
}

/** Read and check one case file; throws CaseFileError naming every problem. */
export function parseCaseFile(text: string, file: string): CaseFile {
  const raw = parse(text) as unknown;
  const structural = validate(schema, raw);
  if (structural.length > 0) throw new CaseFileError(file, structural);
  const doc = raw as { rule: string; cases: (Record<string, unknown> & { expect: unknown })[] };
  const problems: CaseFileError['problems'] = [];
  const cases = doc.cases.map((c, i): Case => {
    const at = `/cases/${i}`;
    const packs = c.packs as string[] | undefined;
    if (packs && c.packParams)
      problems.push({ pointer: `${at}/packParams`, message: 'only a case without packs has its own pack' });
    let expect: Record<string, Expectation[]>;
    if (Array.isArray(c.expect)) {
      if (packs && packs.length > 1)
        problems.push({
          pointer: `${at}/expect`,
          message: 'with several packs, expect is a map from pack id to states',
        });
      expect = Object.fromEntries(
        (packs ?? [CASE_PACK]).map((p) => [p, expectations(c.expect as unknown[], `${at}/expect`, problems)]),
      );
    } else {
      const byPack = c.expect as Record<string, unknown[]>;
      const want = [...(packs ?? [])].sort();
      if (JSON.stringify(Object.keys(byPack).sort()) !== JSON.stringify(want))
        problems.push({
          pointer: `${at}/expect`,
          message: `a map of expectations names exactly the case's packs (${want.join(', ') || 'none'})`,
        });
      expect = Object.fromEntries(
        Object.entries(byPack).map(([p, list]) => [
          p,
          expectations(list, `${at}/expect/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`, problems),
        ]),
      );
    }
    const asOf = (c.asOf as string | undefined) ?? DEFAULT_AS_OF;
    const waivers = ((c.waivers ?? []) as Partial<WaiverSpec>[]).map((w, k) => ({
      id: w.id ?? `w${k + 1}`,
      itemMatch: w.itemMatch!,
      packId: w.packId ?? null,
      expiresAt: w.expiresAt ?? new Date(Date.parse(asOf) + 365 * 86_400_000).toISOString(),
      revokedAt: w.revokedAt ?? null,
      ...(w.createdAt ? { createdAt: w.createdAt } : {}),
    }));
    return {
      name: c.name as string,
      params: (c.params as Record<string, unknown>) ?? {},
      packParams: (c.packParams as Record<string, unknown>) ?? {},
      ...(packs ? { packs } : {}),
      waivers,
      asOf,
      ...(c.collectedAt ? { collectedAt: c.collectedAt as string } : {}),
      ...(c.lastConfirmedAt ? { lastConfirmedAt: c.lastConfirmedAt as string } : {}),
      doc: (c.doc as Record<string, unknown>) ?? {},
      items: c.items as Record<string, unknown>[],
      expect,
      ...(c.expectDetails ? { expectDetails: c.expectDetails as (string[] | null)[] } : {}),
      collapsed: (c.collapsed as string[]) ?? [],
    };
  });
  if (problems.length > 0) throw new CaseFileError(file, problems);
  return { file, rule: doc.rule, cases };
}
