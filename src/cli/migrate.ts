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
      const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      try {
        await db.migrate();
        process.stdout.write(`migrations applied (${db.driver})\n`);
      } finally {
        await db.close();
      }
    });
}
