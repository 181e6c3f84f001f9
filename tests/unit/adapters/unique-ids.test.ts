import { uniqueIdAllocator } from '../../../src/adapters/common/unique-ids.js';

describe('uniqueIdAllocator', () => {
  it('keeps the first id and suffixes later copies, skipping ids already taken', () => {
    const unique = uniqueIdAllocator();
    expect(['a', 'a', 'a~3', 'a', 'b', 'a'].map(unique)).toEqual(['a', 'a~2', 'a~3', 'a~4', 'b', 'a~5']);
  });

  it('allocates n copies of one id in linear steps (each base remembers its next suffix)', () => {
    const unique = uniqueIdAllocator();
    const seen = new Set<string>();
    let probes = 0;
    const has = Set.prototype.has;
    // count the set lookups the allocator makes: linear means a small constant per copy
    Set.prototype.has = function (this: Set<unknown>, v: unknown) {
      probes++;
      return has.call(this, v);
    };
    try {
      for (let i = 0; i < 20_000; i++) seen.add(unique('same'));
    } finally {
      Set.prototype.has = has;
    }
    expect(seen.size).toBe(20_000);
    expect(probes).toBeLessThan(3 * 20_000);
  });
});
