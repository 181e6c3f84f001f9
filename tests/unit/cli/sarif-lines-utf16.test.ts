/** SARIF locations point at the right line of a UTF-16 export too (the line lookup decodes by BOM). */
import type * as Sarif from 'sarif';
import { localiseSarif } from '../../../src/cli/ci-output.js';
import { fixture } from '../../helpers/adapters.js';

const log = (): Sarif.Log => ({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'posture' } },
      results: [
        {
          message: { text: 'x' },
          properties: { snapshotId: 's1', origin: { part: 'registrations', pointer: '/value/1' } },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'snapshots/s1' } } }],
        },
      ],
    },
  ],
});

describe('localiseSarif on a UTF-16 export', () => {
  it.each([
    ['UTF-16LE with a BOM', 'registrations-utf16le-bom.json'],
    ['UTF-8 with a BOM', 'registrations-utf8-bom.json'],
  ])('%s: the second registration starts on line 19', (_name, file) => {
    const out = localiseSarif(
      log(),
      [{ name: 'registrations', page: 0, path: `/repo/${file}`, bytes: fixture('entra', file) }],
      's1',
      '/repo',
    );
    expect(out.runs[0]!.results![0]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: file },
      region: { startLine: 19 },
    });
  });
});
