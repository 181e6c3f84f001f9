import type { Command } from 'commander';
import { main } from '../main.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP service (embedded PGlite in POSTURE_DATA_DIR unless DATABASE_URL is set)')
    .action(() => main());
}
