/**
 * One row per problem: the findings of the packs that judge one rule on one item, grouped by
 * fingerprint, with the worst status, every pack's requirements and the earliest first-seen time.
 */
import { groupFindings, type PackFinding } from '../../../src/core/finding-groups.js';
import { worstStatus } from '../../../src/core/vocabulary.js';

const f = (over: Partial<PackFinding>): PackFinding => ({
  packId: 'hipaa-security-rule',
  fingerprint: 'a'.repeat(64),
  status: 'fail',
  waiverId: null,
  requirements: [{ pack: 'hipaa-security-rule', id: '164.312(d)' }],
  new: false,
  firstSeenAt: new Date('2026-10-01T00:00:00Z'),
  ...over,
});

describe('groupFindings', () => {
  const pci = f({
    packId: 'pci-dss-4.0.1',
    status: 'waived',
    waiverId: 'w-1',
    requirements: [
      { pack: 'pci-dss-4.0.1', id: '8.4.2' },
      { pack: 'pci-dss-4.0.1', id: '8.4.3' },
    ],
    new: true,
    firstSeenAt: new Date('2026-09-01T00:00:00Z'),
  });
  const other = f({ fingerprint: 'b'.repeat(64), firstSeenAt: null });

  it('gives one group per fingerprint, its packs by id, in the order the fingerprints came', () => {
    const groups = groupFindings([pci, other, f({})]);
    expect(groups.map((g) => g.fingerprint)).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect(groups[0]!.packs).toEqual([
      { pack: 'hipaa-security-rule', status: 'fail', waiverId: null, requirements: ['164.312(d)'] },
      { pack: 'pci-dss-4.0.1', status: 'waived', waiverId: 'w-1', requirements: ['8.4.2', '8.4.3'] },
    ]);
    expect(groups[0]!.first.packId).toBe('hipaa-security-rule');
    expect(groups[0]!.findings.map((x) => x.packId)).toEqual(['hipaa-security-rule', 'pci-dss-4.0.1']);
  });

  it('takes the worst status, new in any pack, and the earliest first-seen time', () => {
    const [g] = groupFindings([f({}), pci]);
    expect(g).toMatchObject({ status: 'fail', new: true, firstSeenAt: new Date('2026-09-01T00:00:00Z') });
    expect(groupFindings([pci])[0]!.status).toBe('waived');
  });

  it('leaves the first-seen time null when no pack recorded one', () => {
    expect(groupFindings([other])[0]!.firstSeenAt).toBeNull();
  });
});

describe('worstStatus', () => {
  it('ranks fail, then error, insufficient_evidence and waived', () => {
    expect(worstStatus(['waived', 'insufficient_evidence'])).toBe('insufficient_evidence');
    expect(worstStatus(['insufficient_evidence', 'error', 'waived'])).toBe('error');
    expect(worstStatus(['error', 'fail'])).toBe('fail');
    expect(worstStatus([])).toBeUndefined();
  });
});
