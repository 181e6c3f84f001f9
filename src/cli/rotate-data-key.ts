/**
 * `posture rotate-data-key`: a new current data key. With the keyring file of the data dir (the
 * embedded default), it is put first in that file; with POSTURE_DATA_KEYS, it is printed to be put
 * first there. `--reencrypt` then seals every raw export again under the current key (through
 * POSTURE_DATABASE_OWNER_URL when set), after which the older keys may be removed.
 */
import type { Command } from 'commander';
import { format, loadKeyring, newKey, rotateKeyFile } from '../config/data-keys.js';
import { loadConfig } from '../config/load-config.js';
import { EXIT, fail } from './output.js';

interface RotateOptions {
  reencrypt?: boolean;
}

export function rotateDataKeyCommand(program: Command): Command {
  return program
    .command('rotate-data-key')
    .description(
      'make a new current data key (raw exports are sealed with it); --reencrypt re-seals what older keys sealed',
    )
    .option(
      '--reencrypt',
      'seal every stored raw export again under the current key (the server must be stopped on the embedded database)',
    );
}

export async function rotateDataKey(o: RotateOptions): Promise<number> {
  const config = fail.onConfigError(() => loadConfig(process.env));
  if (!o.reencrypt) {
    if (config.dataKeys.mode === 'file') {
      const k = rotateKeyFile(config.dataDir);
      process.stdout.write(`new current data key ${k.id} in ${config.dataDir}/data-keys (older keys kept)\n`);
    } else {
      const n = Math.max(...config.dataKeys.keys.map((k) => Number(/^k(\d+)$/.exec(k.id)?.[1] ?? 0))) + 1;
      process.stdout.write(`${format(newKey(`k${n}`))}\n`);
      process.stderr.write(
        'put this key first in POSTURE_DATA_KEYS (keep the others), restart, then run --reencrypt\n',
      );
    }
    return EXIT.ok;
  }
  const { openDatabase } = await import('../db/client.js');
  const { resealAttestationEvidence, resealRawExports } = await import('../domain/reseal-raw-exports.js');
  const db = await openDatabase({ url: config.databaseOwnerUrl ?? config.databaseUrl, dataDir: config.dataDir }).catch(
    (err: Error) => fail.now(err.message),
  );
  try {
    const n = await resealRawExports(
      db.maintenance('re-seal raw exports under the current data key'),
      loadKeyring(config),
    );
    process.stdout.write(`re-sealed ${n} raw export chunk(s) under the current key\n`);
    const m = await resealAttestationEvidence(
      db.maintenance('re-seal attestation files under the current data key'),
      loadKeyring(config),
    );
    process.stdout.write(`re-sealed ${m} attestation file(s) under the current key\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
