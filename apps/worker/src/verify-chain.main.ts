// `npm run chain:verify`: checks every stream's hash chain and the stream heads against the signed anchors
// (libs/event-store verify-store.ts), prints a summary and, on failure, the first broken event; exits 1 then.
// Uses DATABASE_URL, or the PGlite in DATA_DIR (default ./.data) while no engine runs on it; the anchor key from
// CHAIN_ANCHOR_KEY / CHAIN_ANCHOR_KEY_FILE, else DATA_DIR/chain-anchor.key. With --kafka it also compares the
// store with the chain hashes published on the lifecycle topic (KAFKA_BROKERS and the worker's TLS/SASL settings;
// the read-only user is enough), which catches a rewrite even by someone who holds the anchor key.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '@engine/database';
import { CHAIN_ANCHOR_KEY_FILE_NAME, ChainProblem, readChainAnchorKey, StoreVerification, verifyEventStore } from '@engine/event-store';
import { REPORTS_TOPIC } from '@engine/contracts';
import { createKafka, describeKafkaConnection, PublishedChainHashes, readKafkaConnectionOptions, readPublishedChainHashes } from '@engine/kafka';
import { engineUsing } from '../../embedded/src/backup/engine-presence';

const SHOWN_PROBLEMS = 20;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--kafka');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}; usage: npm run chain:verify [-- --kafka]`);
  const dataDir = process.env.DATA_DIR || './.data';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl) {
    const running = await engineUsing(dataDir);
    // PGlite is one process's database: opening its files beside the engine could damage them.
    if (running) throw new Error(`${running}; stop it first (the PGlite database can be opened by one process only), or verify a backup of it`);
    // Opening PGlite on a directory that has none would create an empty database there.
    if (!existsSync(join(dataDir, 'postgres'))) throw new Error(`there is no PGlite database in ${resolve(dataDir, 'postgres')} (set DATA_DIR, or DATABASE_URL for PostgreSQL)`);
  }
  const published = args.includes('--kafka') ? await publishedHashes() : undefined;
  const key = readChainAnchorKey(process.env, databaseUrl ? undefined : join(dataDir, CHAIN_ANCHOR_KEY_FILE_NAME));
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : join(dataDir, 'postgres') });
  try {
    const result = await verifyEventStore(database, { schema: process.env.EVENT_STORE_SCHEMA || undefined, key, published });
    console.log(summary(result, databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(dataDir, 'postgres')}`).join('\n'));
    return result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

async function publishedHashes(): Promise<PublishedChainHashes> {
  const options = readKafkaConnectionOptions(process.env);
  if (options.brokers.length === 0) throw new Error('--kafka needs KAFKA_BROKERS (and the TLS/SASL settings the worker uses)');
  const hashes = await readPublishedChainHashes(createKafka({ ...options, clientId: 'chain-verify', log: () => undefined }));
  console.log(`read ${hashes.records} records from ${REPORTS_TOPIC} at ${describeKafkaConnection(options)} (${hashes.withoutHash} without a chain hash, not compared)`);
  return hashes;
}

function summary(result: StoreVerification, where: string): string[] {
  const lines = [
    `chain:verify ${where}`,
    `  ${result.streams} streams, ${result.events} events (${result.eventsAfterRelay} not yet relayed, so not yet anchored)`,
    `  ${result.anchors} anchors with ${result.anchoredHeads} stream heads${result.anchorsChecked ? ', signatures checked' : ', signatures NOT checked (no key)'}`,
  ];
  if (result.lastAnchor) {
    lines.push(`  newest anchor #${result.lastAnchor.sequence} (${result.lastAnchor.anchoredAt}) mac ${result.lastAnchor.mac}: note it elsewhere to detect a later removal of anchors`);
  }
  if (result.publishedCompared !== undefined) lines.push(`  ${result.publishedCompared} published events compared with Kafka`);
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  if (result.ok) {
    lines.push('OK: every stream is intact and matches its anchors');
    return lines;
  }
  lines.push(`FAILED: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
  lines.push(`  first broken: ${describe(result.problems[0])}`);
  for (const problem of result.problems.slice(1, SHOWN_PROBLEMS)) lines.push(`  also: ${describe(problem)}`);
  if (result.problems.length > SHOWN_PROBLEMS) lines.push(`  … and ${result.problems.length - SHOWN_PROBLEMS} more`);
  return lines;
}

function describe(problem: ChainProblem): string {
  return problem.kind === 'event'
    ? `stream ${problem.streamId} version ${problem.version}: ${problem.reason}`
    : `anchor #${problem.sequence}: ${problem.reason}`;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`chain:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
