import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { CliError, EXIT, fail } from './output.js';

/** The `migrate` command; its action is `migrate`. */
export function migrateCommand(program: Command): Command {
  return program.command('migrate').description('apply the database migrations and exit');
}

/** Applies the migrations; a failure throws a CliError (one line, never a stack trace, exit 2). */
export async function migrate(): Promise<number> {
  const config = fail.onConfigError(() => loadConfig(process.env));
  const { openDatabase } = await import('../db/client.js');
  // one line, never a stack trace: a data dir in use, a database that cannot be reached
  const db = await openDatabase({
    url: config.databaseUrl,
    ownerUrl: config.databaseOwnerUrl,
    dataDir: config.dataDir,
  }).catch((err: Error) => fail.now(err.message));
  try {
    await db.migrate();
    process.stdout.write(`migrations applied (${db.driver})\n`);
    return EXIT.ok;
  } catch (err) {
    throw new CliError(`migrations failed: ${(err as Error).message}`);
  } finally {
    await db.close();
  }
}
