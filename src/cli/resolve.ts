import { adapterFor, SOURCE_NAMES } from '../adapters/registry.js';
import type { Adapter } from '../adapters/types.js';
import { SNAPSHOT_KINDS } from '../schemas/canonical.js';
import { CliError } from './output.js';

export function resolveAdapterForCli(source: string, kind?: string): Adapter {
  const a = adapterFor(source, kind);
  if (a) return a;
  if (source === 'canonical') throw new CliError(`--source canonical needs --kind ${SNAPSHOT_KINDS.join('|')}`);
  throw new CliError(
    `unknown source "${source}"${kind ? ` for kind ${kind}` : ''}; the sources are: ${SOURCE_NAMES.join(', ')}`,
  );
}
