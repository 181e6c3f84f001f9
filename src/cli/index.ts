#!/usr/bin/env node
/**
 * `posture` — one file per command; this file wires them to commander and is the only CLI file
 * that ends the process (src/main.ts, the service, is the other entry point).
 *
 * Every command but `serve` resolves to its exit code, or throws a CliError; that becomes
 * `process.exitCode` and the process ends when nothing is left to do — in particular only once
 * stdout and stderr have drained. NOTE: never `process.exit` here: into a pipe stdout is
 * asynchronous, and exiting drops whatever the reader has not taken yet (all but the first 64 KB
 * of a large `evaluate --format json`). `serve` resolves once listening and keeps the process
 * alive on its server.
 */
import { Command, CommanderError } from 'commander';
import { auditCommand, auditVerify } from './audit.js';
import { evaluateCommand, evaluateOffline } from './evaluate.js';
import { loginLink, loginLinkCommand } from './login-link.js';
import { migrate, migrateCommand } from './migrate.js';
import { CliError, EXIT } from './output.js';
import { push, pushCommand } from './push.js';
import { report, reportCommand } from './report.js';
import { rotateDataKey, rotateDataKeyCommand } from './rotate-data-key.js';
import { serve, serveCommand } from './serve.js';
import { token, tokenCommand } from './token.js';
import { verify, verifyCommand } from './verify.js';

/** An action that sets the exit code its command resolves to. */
function finishing<A extends unknown[]>(action: (...args: A) => number | Promise<number>) {
  return async (...args: A): Promise<void> => {
    process.exitCode = await action(...args);
  };
}

/** Prints what the user needs of a failure (commander has printed its own) and gives its exit code. */
function failure(err: unknown): number {
  // usage errors are commander's one line ("error: unknown option '--x'"), --help exits 0
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.error;
  if (err instanceof CliError) {
    process.stderr.write(`posture: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`posture: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.error;
}

/**
 * A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go,
 * which is no failure of the command (its exit code stands), and no stack trace either.
 */
function toleratingClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

toleratingClosedPipe(process.stdout);
toleratingClosedPipe(process.stderr);
const program = new Command('posture')
  .description('Security-posture and compliance auditing for MSPs and their clients')
  .exitOverride();
serveCommand(program).action(serve);
migrateCommand(program).action(finishing(migrate));
tokenCommand(program).action(finishing(token));
loginLinkCommand(program).action(finishing(loginLink));
pushCommand(program).action(finishing(push));
evaluateCommand(program).action(finishing(evaluateOffline));
reportCommand(program).action(finishing(report));
verifyCommand(program).action(finishing(verify));
auditCommand(program).action(finishing(auditVerify));
rotateDataKeyCommand(program).action(finishing(rotateDataKey));
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = failure(err);
}
