/**
 * A TCP proxy the test controls, between the service's pool and PostgreSQL: `pause()` stops
 * forwarding bytes in both directions without closing anything (what a frozen server looks like
 * from the client: connections open, no answer), `resume()` delivers what was held, in order,
 * and forwards again; `drop()` cuts every connection (a server restart, a failover). As with a
 * server stopped by SIGSTOP, whose kernel still takes the bytes and the FIN, a connection the
 * client closes while paused reaches the server only on resume: its held bytes, then its end.
 * The shared PostgreSQL itself is never touched.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  /** `url` with its host and port replaced by the proxy's */
  urlFor(url: string): string;
  pause(): void;
  resume(): void;
  /** destroys every open connection, both sides */
  drop(): void;
  /** connections open now */
  readonly connections: number;
  close(): Promise<void>;
}

interface Held {
  to: Socket;
  chunk: Buffer;
}

/** Listens on an ephemeral port of 127.0.0.1 and forwards each connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let paused = false;
  let held: Held[] = [];
  let ending: Socket[] = [];
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (paused) held.push({ to, chunk });
      else to.write(chunk);
    });
    const closed = () => (paused ? ending.push(to) : to.destroy());
    from.on('close', closed);
    from.on('error', () => {});
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    urlFor: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    pause: () => void (paused = true),
    resume: () => {
      paused = false;
      const pending = held;
      held = [];
      for (const { to, chunk } of pending) if (!to.destroyed) to.write(chunk);
      for (const socket of ending) socket.end();
      ending = [];
    },
    drop: () => {
      for (const s of sockets) s.destroy();
    },
    get connections() {
      return sockets.size / 2;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
