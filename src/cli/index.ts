#!/usr/bin/env node
/** `posture` — one file per command; this file only wires them to commander. */
import { Command } from 'commander';
import { registerEvaluate } from './evaluate.js';
import { registerMigrate } from './migrate.js';
import { registerPush } from './push.js';
import { registerReport } from './report.js';
import { registerVerify } from './verify.js';
import { registerServe } from './serve.js';
import { registerToken } from './token.js';

const program = new Command('posture')
  .description('Security-posture and compliance auditing for MSPs and their clients')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
registerServe(program);
registerMigrate(program);
registerToken(program);
registerPush(program);
registerEvaluate(program);
registerReport(program);
registerVerify(program);
await program.parseAsync(process.argv);
