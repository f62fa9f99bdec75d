import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// A test picks a port and a child program binds it later, sometimes more than once (a restarted API). A port the
// kernel hands out for `listen(0)` comes from the ephemeral range, which every outgoing connection on the machine
// draws its local port from too, so one of them can take it in between (EADDRINUSE in a fresh-clone CI). Ports
// below that range are never handed out implicitly: pick one there at random and check it is free now.
const LOWEST = 20_000;
const handedOut = new Set<number>();

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > LOWEST + 1_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1, outside the ephemeral range, that is free now and was not handed out before in this process. */
export async function freePort(): Promise<number> {
  const highest = ephemeralRangeStart() - 1;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between ${LOWEST} and ${highest}`);
}
