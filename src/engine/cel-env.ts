/**
 * The CEL environment every rule expression is checked and evaluated in — built once.
 * Variables: `item` (the item being judged), `doc` (the canonical document of the item's own
 * snapshot), `params` (the rule's parameter values), `asOf` (the evaluation time, a timestamp),
 * `collectedAt` (when the item's own snapshot was collected, a timestamp: what clock-dependent
 * rules measure ages against, so an export judged a month later says what it said that day),
 * and `deviceRules` (for rules over firewall `devices`: that device's own rules, in document
 * order; see device-rules.ts). The functions live in functions/.
 */
import { Environment } from '@marcbachmann/cel-js';
import { FUNCTIONS, num, TIMESTAMP } from './functions/index.js';

export function createCelEnvironment(): Environment {
  const env = new Environment({ unlistedVariablesAreDyn: false, limits: { maxAstNodes: 2000, maxDepth: 64 } })
    .registerVariable('item', 'map')
    .registerVariable('doc', 'map')
    .registerVariable('params', 'map')
    .registerVariable('asOf', TIMESTAMP)
    .registerVariable('collectedAt', TIMESTAMP)
    .registerVariable('deviceRules', 'list');
  for (const [signature, implementation] of FUNCTIONS) env.registerFunction(signature, implementation);
  // JSON numbers arrive as CEL doubles and literals are ints: let them mix in arithmetic.
  for (const op of ['+', '-', '*', '/'] as const) {
    const f = (a: unknown, b: unknown) =>
      ({ '+': num(a) + num(b), '-': num(a) - num(b), '*': num(a) * num(b), '/': num(a) / num(b) })[op];
    env.registerOperator(`double ${op} int`, f).registerOperator(`int ${op} double`, f);
  }
  return env;
}
