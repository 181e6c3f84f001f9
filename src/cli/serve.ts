import type { Command } from 'commander';

// The server stack (express, the database drivers, pdfkit…) loads only for `serve`: the other
// commands start in a fraction of the time.

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP service (embedded PGlite in POSTURE_DATA_DIR unless DATABASE_URL is set)')
    .action(async () => (await import('../main.js')).main());
}
