// Before the real-engine suite: every engine that start.sh started must answer, or the run fails at once
// with what is missing (it never skips).
import { Socket } from 'node:net';
import { realEngines } from './engines';

function reachable(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(3_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

export default async function checkRealEngines(): Promise<void> {
  const engines = realEngines();
  const database = new URL(engines.databaseUrl);
  const targets = {
    'the Temporal dev server': engines.temporalAddress,
    'the Kafka broker': engines.kafkaBrokers.split(',')[0],
    PostgreSQL: `${database.hostname}:${database.port || 5432}`,
  };
  const missing: string[] = [];
  for (const [name, address] of Object.entries(targets)) if (!(await reachable(address))) missing.push(`${name} at ${address}`);
  if (missing.length > 0) throw new Error(`real engines not reachable: ${missing.join(', ')}; run \`npm run engines:start\``);
}
