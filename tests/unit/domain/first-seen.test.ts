/**
 * A finding's first-seen time: carried over from its pack's base finding while it stands the same
 * way (failing or waived), reset to the evaluation's asOf when it is new or changed standing.
 */
import { diffKey } from '../../../src/db/evaluations.js';
import { firstSeenAt } from '../../../src/domain/evaluation-summary.js';

const asOf = new Date('2026-12-01T00:00:00Z');
const then = new Date('2026-10-01T00:00:00Z');
const fp = 'a'.repeat(64);
const base = (status: string, pack = 'hipaa-security-rule') =>
  new Map([[diffKey(pack, fp), { status, firstSeenAt: then }]]);
const finding = (status: 'fail' | 'waived' | 'insufficient_evidence' | 'error') => ({
  packId: 'hipaa-security-rule',
  fingerprint: fp,
  status,
});

describe('firstSeenAt', () => {
  it('carries the base time over while the problem lasts, a waiver included', () => {
    expect(firstSeenAt(finding('fail'), base('fail'), asOf)).toEqual(then);
    expect(firstSeenAt(finding('waived'), base('fail'), asOf)).toEqual(then);
    expect(firstSeenAt(finding('fail'), base('waived'), asOf)).toEqual(then);
    expect(firstSeenAt(finding('insufficient_evidence'), base('insufficient_evidence'), asOf)).toEqual(then);
  });

  it("is the evaluation's asOf when the base had none (new, or resolved in between)", () => {
    expect(firstSeenAt(finding('fail'), new Map(), asOf)).toEqual(asOf);
    // another pack's finding says nothing about this pack
    expect(firstSeenAt(finding('fail'), base('fail', 'pci-dss-4.0.1'), asOf)).toEqual(asOf);
  });

  it('is reset when the finding changed standing', () => {
    expect(firstSeenAt(finding('fail'), base('insufficient_evidence'), asOf)).toEqual(asOf);
    expect(firstSeenAt(finding('error'), base('fail'), asOf)).toEqual(asOf);
  });
});
