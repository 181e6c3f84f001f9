/**
 * Every output complete when piped: `posture evaluate` of a several-MB SentinelOne export through
 * a shell pipe into a reader that starts late and reads slowly (a pipe holds 64 KB; a CLI that
 * ends the process before stdout drains hands the reader only that). The piped bytes must equal
 * the `--out` file's and the exit code must pass through. Also: usage errors are one line, exit 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/adapters.js';
import { CLI, cli, processEnv } from '../helpers/process.js';

const AGENTS = 2500;
const AS_OF = '2026-11-01T00:00:00Z';

/** Waits 300 ms before reading, then takes one chunk every 2 ms; echoes what it read once stdin ends. */
const SLOW_READER = `
const chunks = [];
setTimeout(() => process.stdin.on('data', (c) => {
  chunks.push(c);
  process.stdin.pause();
  setTimeout(() => process.stdin.resume(), 2);
}), 300);
process.stdin.on('end', () => process.stdout.write(Buffer.concat(chunks)));
`;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `posture ARGS | READER` (a bash command): what the reader wrote, and the CLI's own exit code and stderr. */
function piped(args: string[], reader: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Ran> {
  // bash: the exit code of the CLI, not of the reader
  const script = `"$0" "$@" | ${reader}; exit "\${PIPESTATUS[0]}"`;
  const child = spawn('bash', ['-c', script, process.execPath, CLI, ...args], {
    env: { ...env, NODE: process.execPath, SLOW_READER },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr }));
  });
}

/** The fixture's agents again and again, each its own host, last seen long before AS_OF: thousands of findings. */
function largeSentinelOneExport(): unknown[] {
  const agents = JSON.parse(readFileSync(join(FIXTURES, 'sentinelone', 'agents-bare.json'), 'utf8')) as Record<
    string,
    unknown
  >[];
  return Array.from({ length: AGENTS }, (_, i) => ({
    ...agents[i % agents.length],
    id: String(3_000_000_000_000_000_000n + BigInt(i)),
    uuid: `${i.toString(16).padStart(8, '0')}${'0'.repeat(24)}`,
    computerName: `HOST-${i}`,
  }));
}

describe('CLI output into a pipe', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let exportPath: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'posture-cli-pipe-'));
    env = processEnv(join(dir, 'data'));
    exportPath = join(dir, 'agents.json');
    writeFileSync(exportPath, JSON.stringify(largeSentinelOneExport()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['json', 'sarif'])(
    'evaluate --format %s: a slow reader gets every byte of a several-MB result, and the exit code',
    async (format) => {
      const args = ['evaluate', '--source', 'sentinelone', exportPath, '--format', format, '--as-of', AS_OF];
      const written = cli([...args, '--out', join(dir, `out.${format}`)], env, dir);
      expect({ status: written.status, stderr: written.stderr }).toEqual({ status: 1, stderr: '' });
      const expected = readFileSync(join(dir, `out.${format}`), 'utf8');
      expect(expected.length).toBeGreaterThan(4_000_000);
      const read = await piped(args, '"$NODE" -e "$SLOW_READER"', env, dir);
      expect({ status: read.status, stderr: read.stderr, bytes: read.stdout.length }).toEqual({
        status: 1,
        stderr: '',
        bytes: expected.length + 1,
      });
      expect(read.stdout).toBe(`${expected}\n`);
      const parsed = JSON.parse(read.stdout) as { findings?: unknown[]; runs?: { results: unknown[] }[] };
      expect((parsed.findings ?? parsed.runs![0]!.results).length).toBeGreaterThanOrEqual(AGENTS);
    },
    120_000,
  );

  it('evaluate into a reader that stops early (| head -c 100): no error, the exit code stands', async () => {
    const args = ['evaluate', '--source', 'sentinelone', exportPath, '--format', 'json', '--as-of', AS_OF];
    const r = await piped(args, 'head -c 100', env, dir);
    expect({ status: r.status, stderr: r.stderr, bytes: r.stdout.length }).toEqual({
      status: 1,
      stderr: '',
      bytes: 100,
    });
  });

  it('usage errors: one line on stderr, exit 2, no help', () => {
    const missing = cli(['evaluate', exportPath], env, dir);
    expect({ status: missing.status, stdout: missing.stdout }).toEqual({ status: 2, stdout: '' });
    expect(missing.stderr).toBe("error: required option '--source <source>' not specified\n");
    const unknown = cli(['evaluate', '--source', 'sentinelone', exportPath, '--colour'], env, dir);
    expect({ status: unknown.status, stderr: unknown.stderr }).toEqual({
      status: 2,
      stderr: "error: unknown option '--colour'\n",
    });
    const bad = cli(['evaluate', '--source', 'sentinelone', exportPath, '--fail-on', 'extreme'], env, dir);
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({
      status: 2,
      stderr: 'posture evaluate: --fail-on must be critical, high, medium or low\n',
    });
  });

  it('--help prints the help on stdout and exits 0', () => {
    const help = cli(['evaluate', '--help'], env, dir);
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: posture evaluate \[options\] <parts\.\.\.>/);
  });
});
