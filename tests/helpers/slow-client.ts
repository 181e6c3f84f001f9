/**
 * An HTTP/1.1 client on a raw socket that sends its request as slowly as told — what supertest
 * cannot do — and reports the answer and when the server closed the connection.
 */
import { connect } from 'node:net';

export interface SlowRequest {
  port: number;
  /** request line and headers, sent at once (unless `headerDrip` is set) */
  head: string;
  /** the body, sent `chunkBytes` at a time every `everyMs` */
  body?: Buffer;
  chunkBytes?: number;
  everyMs?: number;
  /** stop sending after this many body bytes (a stall) */
  stopAfter?: number;
  /** send the head itself one byte every `everyMs` (a header trickle) */
  headerDrip?: boolean;
  /** give up (and report status 0) after this long */
  giveUpMs?: number;
}

export interface SlowAnswer {
  /** 0: no answer before the connection closed or we gave up */
  status: number;
  headers: string;
  body: string;
  /** from the first byte sent to the close of the connection (or giving up) */
  elapsedMs: number;
  closedByServer: boolean;
}

/** Resolves when the server closes the connection, or `giveUpMs` (default 10 s) after the start. */
export function slowRequest(r: SlowRequest): Promise<SlowAnswer> {
  const socket = connect(r.port, '127.0.0.1');
  const started = performance.now();
  const out = r.headerDrip ? Buffer.from(r.head) : Buffer.concat([Buffer.from(r.head), r.body ?? Buffer.alloc(0)]);
  let at = r.headerDrip ? 0 : Buffer.byteLength(r.head);
  const end = r.headerDrip ? out.length : at + (r.stopAfter ?? r.body?.length ?? 0);
  const step = r.headerDrip ? 1 : (r.chunkBytes ?? 1);
  let received = '';
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      if (at >= end || socket.destroyed) return;
      socket.write(out.subarray(at, Math.min(at + step, end)));
      at += step;
    };
    const finish = (closedByServer: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const [headers = '', body = ''] = received.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0);
      resolve({ status, headers, body, elapsedMs: performance.now() - started, closedByServer });
    };
    const giveUp = setTimeout(() => finish(false), r.giveUpMs ?? 10_000);
    socket.on('connect', () => {
      socket.write(out.subarray(0, at));
      timer = setInterval(send, r.everyMs ?? 1000);
    });
    socket.on('data', (d: Buffer) => void (received += d.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => {});
  });
}

/** Request line and headers of a POST with a body of `length` bytes. */
export function postHead(path: string, length: number, headers: Record<string, string> = {}): string {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: posture.test', `Content-Length: ${length}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
