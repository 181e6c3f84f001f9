/**
 * Attestations in the engine: a manual requirement with one in force at asOf is `attested`
 * (its supporting rules can still fail it), and the three scores of a pack.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../../src/engine/catalog.js';
import { type AttestationInput, evaluate, type SnapshotInput } from '../../../src/engine/evaluate.js';
import { rollUp, scores, scoresOf } from '../../../src/engine/rollup.js';
import { loadCatalog } from '../../helpers/catalog.js';

const rule = (id: string, kind: string, body: string) => `id: ${id}
title: ${id}
kind: ${kind}
severity: high
message: "{{item.id}} fails ${id}"
rationale: r
remediation: fix
${body}`;

let catalog: Catalog;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'posture-attest-'));
  mkdirSync(join(dir, 'checks'), { recursive: true });
  mkdirSync(join(dir, 'packs'), { recursive: true });
  writeFileSync(join(dir, 'checks', 'mfa.yaml'), rule('t.mfa', 'identity', 'each: users\nassert: item.mfa.registered'));
  writeFileSync(
    join(dir, 'checks', 'policy.yaml'),
    rule('t.policy', 'identity', "each: policies\nassert: item.state == 'enforced'"),
  );
  writeFileSync(
    join(dir, 'checks', 'host.yaml'),
    rule('t.host', 'endpoint', 'each: hosts\nassert: item.endpoints.exists(e, e.managed)'),
  );
  const req = (id: string, more: string) =>
    `  - { id: "${id}", title: t${id}, citation: "C ${id}", rationale: r, ${more} }\n`;
  writeFileSync(
    join(dir, 'packs', 'p.yaml'),
    `id: pack-p\nversion: "1"\ntitle: P\nrequirements:\n` +
      req('r1', 'rules: [t.mfa]') +
      req('r2', 'manual: true') +
      req('r3', 'rules: [t.policy], manual: true') +
      req('r4', 'rules: [t.host]') +
      req('r5', 'rules: [t.mfa], informational: true'),
  );
  catalog = loadCatalog(dir);
  rmSync(dir, { recursive: true, force: true });
});

const asOf = new Date('2026-11-01T00:00:00Z');
const day = 86_400_000;
const identity = (policyState: string): SnapshotInput => ({
  id: 'snap-1',
  kind: 'identity',
  source: 'okta',
  instance: 'default',
  document: {
    users: [
      {
        id: 'u1',
        source: 'okta',
        username: 'u1@example.com',
        status: 'active',
        mfa: { registered: true },
        origin: { part: 'users', pointer: '/0' },
      },
    ],
    policies: [{ id: 'pol', source: 'okta', state: policyState, origin: { part: 'policies', pointer: '/0' } }],
  },
});
const attestation = (requirementId: string, extra: Partial<AttestationInput> = {}): AttestationInput => ({
  id: `att-${requirementId}`,
  packId: 'pack-p',
  requirementId,
  attestedAt: new Date(asOf.getTime() - 10 * day),
  validUntil: new Date(asOf.getTime() + 100 * day),
  revokedAt: null,
  ...extra,
});
const run = (
  policyState: string,
  attestations: AttestationInput[],
  more: Partial<Parameters<typeof evaluate>[0]> = {},
) =>
  evaluate({ catalog, packIds: ['pack-p'], snapshots: [identity(policyState)], asOf, attestations, ...more }).packs[0]!;
const states = (p: ReturnType<typeof run>) => Object.fromEntries(p.requirements.map((q) => [q.id, q.state]));

describe('attestations in the engine', () => {
  it('leaves manual requirements manual without one; the three scores count only what they name', () => {
    const p = run('enforced', []);
    expect(states(p)).toEqual({ r1: 'pass', r2: 'manual', r3: 'manual', r4: 'insufficient_evidence', r5: 'pass' });
    // applicable: r1..r4 (r5 is informational); verified leaves the manual r2 and r3 out
    expect(p.scores).toEqual({
      verified: { value: 0.5, numerator: 1, denominator: 2 },
      withAttestations: { value: 0.25, numerator: 1, denominator: 4 },
      withWaivers: { value: 0.25, numerator: 1, denominator: 4 },
      states: { pass: 1, attested: 0, waived: 0, manual: 2, insufficient_evidence: 1, fail: 0, error: 0 },
    });
    expect(p.requirements.every((q) => q.attestationId === null)).toBe(true);
  });

  it('makes an attested manual requirement attested, and raises the "with attestations" score only', () => {
    const p = run('enforced', [attestation('r2'), attestation('r3')]);
    expect(states(p)).toMatchObject({ r2: 'attested', r3: 'attested', r4: 'insufficient_evidence' });
    expect(p.requirements.find((q) => q.id === 'r2')!.attestationId).toBe('att-r2');
    expect(p.scores!.verified).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
    expect(p.scores!.withAttestations).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    expect(p.scores!.withWaivers).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    // the deprecated score keeps its old meaning: pass / applicable
    expect(p.score).toMatchObject({ withoutWaivers: 0.25, withWaivers: 0.25, applicable: 4 });
  });

  it('lets a failing supporting check fail an attested requirement, and a waived one rank above attested', () => {
    const failed = run('disabled', [attestation('r3')]);
    expect(states(failed).r3).toBe('fail');
    const waived = run('disabled', [attestation('r2'), attestation('r3')], {
      waivers: [
        {
          id: 'w1',
          ruleId: 't.policy',
          packId: null,
          itemMatch: 'pol',
          expiresAt: new Date(asOf.getTime() + day),
          revokedAt: null,
        },
      ],
    });
    expect(states(waived)).toMatchObject({ r2: 'attested', r3: 'waived' });
    expect(waived.scores!.withAttestations).toEqual({ value: 0.5, numerator: 2, denominator: 4 });
    expect(waived.scores!.withWaivers).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
  });

  it('judges an attestation at asOf: expired, revoked by then, or made later leaves the requirement manual', () => {
    expect(states(run('enforced', [attestation('r2', { validUntil: asOf })])).r2).toBe('manual');
    expect(states(run('enforced', [attestation('r2', { revokedAt: new Date(asOf.getTime() - 1) })])).r2).toBe('manual');
    expect(states(run('enforced', [attestation('r2', { revokedAt: new Date(asOf.getTime() + 1) })])).r2).toBe(
      'attested',
    );
    expect(states(run('enforced', [attestation('r2', { attestedAt: new Date(asOf.getTime() + 1) })])).r2).toBe(
      'manual',
    );
  });

  it('never attests a requirement a rule judges, nor one of another pack', () => {
    const p = run('enforced', [attestation('r1'), attestation('r4'), { ...attestation('r2'), packId: 'other' }]);
    expect(states(p)).toMatchObject({ r1: 'pass', r2: 'manual', r4: 'insufficient_evidence' });
  });

  it('rolls up error > fail > insufficient_evidence > manual > waived > attested > pass', () => {
    expect(rollUp(['pass', 'attested'])).toBe('attested');
    expect(rollUp(['attested', 'waived'])).toBe('waived');
    expect(rollUp(['attested', 'manual'])).toBe('manual');
    expect(rollUp(['attested', 'insufficient_evidence'])).toBe('insufficient_evidence');
    expect(rollUp(['attested', 'fail'])).toBe('fail');
    expect(rollUp(['attested', 'not_applicable'])).toBe('attested');
  });

  it('scores nothing applicable as null figures, and recomputes the figures of a stored pack without them', () => {
    expect(scores([{ state: 'not_applicable', informational: false }]).withAttestations).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
    const requirements = [
      { state: 'pass' as const, informational: false, manual: false },
      { state: 'insufficient_evidence' as const, informational: false, manual: false },
      { state: 'manual' as const, informational: false, manual: true },
    ];
    expect(scoresOf({ requirements })).toEqual(scores(requirements));
    expect(scoresOf({ requirements }).verified).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
  });
});
