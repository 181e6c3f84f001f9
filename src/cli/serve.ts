import type { Command } from 'commander';

/** The `serve` command; its action is `serve`. */
export function serveCommand(program: Command): Command {
  return program
    .command('serve')
    .description('run the HTTP service (embedded PGlite in POSTURE_DATA_DIR unless DATABASE_URL is set)');
}

/**
 * Starts the service and resolves once it listens: the process then lives on the server, and
 * main.ts (the service's entry point) ends it on a start-up failure or after a graceful shutdown.
 * The server stack (express, the database drivers, pdfkit…) loads only here: the other commands
 * start in a fraction of the time.
 */
export async function serve(): Promise<void> {
  await (await import('../main.js')).main();
}
