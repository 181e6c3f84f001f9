import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { fail } from './output.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations and exit')
    .action(async () => {
      const config = fail.onConfigError(() => loadConfig(process.env));
      const { openDatabase } = await import('../db/client.js');
      // one line, never a stack trace: a data dir in use, a database that cannot be reached
      const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).catch((err: Error) =>
        fail.now(err.message),
      );
      try {
        await db.migrate();
        process.stdout.write(`migrations applied (${db.driver})\n`);
      } catch (err) {
        fail.now(`migrations failed: ${(err as Error).message}`);
      } finally {
        await db.close();
      }
    });
}
