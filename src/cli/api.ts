/** A small client for the Posture API: bearer auth, problem+json errors turned into one line. */

import { CliError } from './output.js';

/** What fetch takes as a body (no DOM lib here). */
export type FetchBody = NonNullable<NonNullable<Parameters<typeof fetch>[1]>['body']>;

export interface Api {
  request(
    method: string,
    path: string,
    init?: { body?: FetchBody; headers?: Record<string, string> },
  ): Promise<Response>;
  json<T>(path: string): Promise<T>;
  text(path: string): Promise<string>;
}

export function connect(server: string | undefined, token: string | undefined): Api {
  if (!server) throw new CliError('give the server with --server or POSTURE_SERVER');
  if (!token) throw new CliError('give a token with --token or POSTURE_TOKEN');
  const base = server.replace(/\/+$/, '');
  const request = async (
    method: string,
    path: string,
    init: { body?: FetchBody; headers?: Record<string, string> } = {},
  ) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        body: init.body,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      });
    } catch (err) {
      throw new CliError(
        `cannot reach ${base}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`,
      );
    }
    if (res.status >= 400) throw new CliError(await problemLine(res));
    return res;
  };
  return {
    request,
    json: async <T>(path: string) => (await (await request('GET', path)).json()) as T,
    text: async (path: string) => (await request('GET', path)).text(),
  };
}

async function problemLine(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const p = JSON.parse(text) as {
      status: number;
      code: string;
      detail: string;
      errors?: { pointer?: string; line?: number; part?: string; message: string }[];
    };
    const where = (p.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `\n  ${[e.part, e.pointer, e.line ? `line ${e.line}` : undefined].filter(Boolean).join(' ')}: ${e.message}`,
      )
      .join('');
    return `the server answered ${p.status} ${p.code}: ${p.detail}${where}`;
  } catch {
    return `the server answered ${res.status}`;
  }
}
