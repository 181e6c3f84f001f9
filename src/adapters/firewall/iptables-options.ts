/**
 * The arguments of one iptables rule → options, each with its values, its negation (`! -s x`, and
 * the old `-s ! x`) and the match module it belongs to (`-m tcp --dport 22`; after `-j X` options
 * belong to the target). Known options are checked for their number of values; unknown options
 * take whatever values follow them.
 */
import type { Token } from './iptables-lexer.js';
import { lookup } from '../common/lookup.js';

export interface Opt {
  name: string;
  values: string[];
  negated: boolean;
  /** the `-m` module in force, `@target` after `-j`/`-g`, null for the basic options */
  module: string | null;
}

const ALIASES = lookup<string>({
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--protocol': '-p',
  '--jump': '-j',
  '--goto': '-g',
  '--match': '-m',
  '--fragment': '-f',
  '--ipv4': '-4',
  '--ipv6': '-6',
  '--set-counters': '-c',
  '--destination-port': '--dport',
  '--source-port': '--sport',
  '--destination-ports': '--dports',
  '--source-ports': '--sports',
});

const ONE = [
  '-s',
  '-d',
  '-i',
  '-o',
  '-p',
  '-j',
  '-g',
  '-m',
  '--dport',
  '--sport',
  '--dports',
  '--sports',
  '--ports',
  '--comment',
  '--state',
  '--ctstate',
  '--ctstatus',
  '--ctproto',
  '--ctdir',
  '--src-range',
  '--dst-range',
  '--to-destination',
  '--to-source',
  '--to-ports',
  '--log-prefix',
  '--log-level',
  '--reject-with',
  '--icmp-type',
  '--icmpv6-type',
  '--limit',
  '--limit-burst',
  '--src-type',
  '--dst-type',
  '--uid-owner',
  '--gid-owner',
  '--mac-source',
  '--seconds',
  '--hitcount',
  '--name',
  '--set-mark',
  '--set-xmark',
  '--mark',
  '--nflog-group',
  '--nflog-prefix',
  '--queue-num',
];
const TWO = ['--match-set', '--tcp-flags', '-c'];
const NONE = [
  '-f',
  '-4',
  '-6',
  '--syn',
  '--rsource',
  '--rdest',
  '--set',
  '--rcheck',
  '--update',
  '--remove',
  '--log-uid',
  '--log-tcp-sequence',
  '--log-tcp-options',
  '--log-ip-options',
  '--random',
  '--random-fully',
  '--persistent',
  '--queue-bypass',
  '--clamp-mss-to-pmtu',
];

/** [min, max] values of the options we know; unknown options: any number. */
const ARITY = new Map<string, [number, number]>([
  ...ONE.map((o): [string, [number, number]] => [o, [1, 1]]),
  ...TWO.map((o): [string, [number, number]] => [o, [2, 2]]),
  ...NONE.map((o): [string, [number, number]] => [o, [0, 0]]),
]);

function isOption(t: Token): boolean {
  return !t.quoted && t.text.length > 1 && t.text.startsWith('-');
}

/** Thrown with a message that names the option, never its values. */
export class OptionError extends Error {}

export function parseOptions(args: readonly Token[]): Opt[] {
  const opts: Opt[] = [];
  let module: string | null = null;
  let pendingNot = false;
  let cur: Opt | undefined;
  const close = () => {
    if (!cur) return;
    checkArity(cur);
    if (cur.name === '-m') module = cur.values[0]!;
    if (cur.name === '-j' || cur.name === '-g') module = '@target';
  };
  for (const t of args) {
    if (!t.quoted && t.text === '!') {
      if (cur && cur.values.length === 0 && (ARITY.get(cur.name)?.[0] ?? 0) > 0) cur.negated = true;
      else if (pendingNot) throw new OptionError('"!" repeated');
      else pendingNot = true;
    } else if (isOption(t)) {
      close();
      cur = newOption(t.text, pendingNot, module);
      opts.push(cur);
      pendingNot = false;
    } else {
      if (!cur || pendingNot) throw new OptionError(cur ? '"!" must precede an option' : 'a value before any option');
      cur.values.push(t.text);
      const max = ARITY.get(cur.name)?.[1] ?? Infinity;
      if (cur.values.length > max) throw new OptionError(`unexpected argument after option ${cur.name}`);
    }
  }
  if (pendingNot) throw new OptionError('"!" at the end of the rule');
  close();
  return opts;
}

function newOption(text: string, negated: boolean, module: string | null): Opt {
  const eq = text.startsWith('--') ? text.indexOf('=') : -1;
  const raw = eq > 0 ? text.slice(0, eq) : text;
  const name = Object.hasOwn(ALIASES, raw) ? ALIASES[raw]! : raw;
  return {
    name,
    values: eq > 0 ? [text.slice(eq + 1)] : [],
    negated,
    module: name === '-m' || name === '-j' || name === '-g' ? null : module,
  };
}

function checkArity(o: Opt): void {
  const min = ARITY.get(o.name)?.[0] ?? 0;
  if (o.values.length < min) throw new OptionError(`option ${o.name} is missing its value`);
}
