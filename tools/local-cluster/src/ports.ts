import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port handed out by {@link freePorts}. */
const lowestPort = 10_000;

/**
 * First port of the kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`, Linux
 * default 32768). Ports below it are never picked for outgoing connections, so a port chosen there
 * cannot be taken by some client's connect() before the component binds it.
 */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Returns `count` distinct TCP ports that are free on 127.0.0.1 right now, chosen at random below
 * the ephemeral range (see above; falls back to kernel-assigned ports when that range is too
 * small). Another process may still bind one before the caller does (small, inherent race).
 * Throws an Error when not enough free ports are found in 1000 attempts.
 */
export async function freePorts(count: number): Promise<number[]> {
  const high = ephemeralLow() - 1;
  if (high - lowestPort < 1000) return kernelPorts(count);
  const chosen = new Set<number>();
  for (let attempt = 0; chosen.size < count && attempt < 1000; attempt += 1) {
    const port = lowestPort + Math.floor(Math.random() * (high - lowestPort + 1));
    if (!chosen.has(port) && (await canBind(port))) chosen.add(port);
  }
  if (chosen.size < count) throw new Error(`found only ${chosen.size} of ${count} free ports`);
  return [...chosen];
}

async function kernelPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<import('node:net').Server>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected server address');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
