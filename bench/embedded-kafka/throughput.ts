// Benchmark: produce/consume throughput of the embedded broker with kafkajs and kcat, beside raw loopback TCP
// throughput measured in the same run. Prints figures; asserts nothing.
// Run: npm run build && node dist/bench/embedded-kafka/throughput.js [messages] [messageBytes]
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const MESSAGES = Number(process.argv[2] ?? 100_000);
const MESSAGE_BYTES = Number(process.argv[3] ?? 200);
const BATCH = 1000;
const MAIN = path.resolve(__dirname, '../../libs/embedded-kafka/src/main.js');

interface Figure {
  what: string;
  messages: number;
  bytes: number;
  seconds: number;
}

function report(figure: Figure): void {
  const rate = figure.messages > 0 ? `${Math.round(figure.messages / figure.seconds).toLocaleString('en')} msg/s` : '';
  const mb = (figure.bytes / 1024 / 1024 / figure.seconds).toFixed(1);
  console.log(`${figure.what.padEnd(52)} ${rate.padStart(16)} ${`${mb} MB/s`.padStart(12)}  (${figure.seconds.toFixed(2)} s)`);
}

async function rawTcpThroughput(totalBytes: number): Promise<Figure> {
  const chunk = Buffer.alloc(64 * 1024, 7);
  let received = 0;
  const server = net.createServer((socket) => socket.on('data', (data) => (received += data.length)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      let sent = 0;
      const pump = () => {
        while (sent < totalBytes) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
        socket.end();
      };
      pump();
    });
    socket.on('close', () => resolve());
  });
  while (received < totalBytes) await new Promise((resolve) => setImmediate(resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  server.close();
  return { what: 'raw loopback TCP (one connection, 64 KiB writes)', messages: 0, bytes: received, seconds };
}

async function startBroker(dataDirectory: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', '--data', dataDirectory, '--initial-rebalance-delay-ms', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error('broker exited')));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function timed<T>(what: string, messages: number, bytes: number, run: () => Promise<T>): Promise<Figure> {
  const started = process.hrtime.bigint();
  return run().then(() => ({ what, messages, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
}

function runKcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`kcat exited with ${code}`))));
    child.stdin.end(input ?? '');
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} missing: run npm run build`);
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-bench-'));
  const payloadBytes = MESSAGES * MESSAGE_BYTES;
  console.log(`embedded-kafka throughput: ${MESSAGES.toLocaleString('en')} messages of ${MESSAGE_BYTES} bytes, ${os.cpus().length} CPUs, broker as a child process with --data\n`);
  report(await rawTcpThroughput(512 * 1024 * 1024));

  const broker = await startBroker(dataDirectory);
  try {
    const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench.kafkajs', numPartitions: 1 }, { topic: 'bench.kafkajs.acksall', numPartitions: 1 }, { topic: 'bench.kcat', numPartitions: 1 }] });
    await admin.disconnect();

    const value = Buffer.alloc(MESSAGE_BYTES, 'v');
    const producer = kafka.producer();
    await producer.connect();
    for (const [topic, acks] of [['bench.kafkajs', 1], ['bench.kafkajs.acksall', -1]] as const) {
      report(
        await timed(`kafkajs produce, acks=${acks}, ${BATCH} msgs per send`, MESSAGES, payloadBytes, async () => {
          for (let sent = 0; sent < MESSAGES; sent += BATCH) {
            await producer.send({ topic, acks, messages: Array.from({ length: Math.min(BATCH, MESSAGES - sent) }, (_, i) => ({ key: `k${i % 16}`, value })) });
          }
        }),
      );
    }
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'bench', maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'bench.kafkajs', fromBeginning: true });
    report(
      await timed('kafkajs consume (eachBatch, group)', MESSAGES, payloadBytes, () =>
        new Promise<void>((resolve) => {
          let count = 0;
          void consumer.run({
            eachBatch: async ({ batch }) => {
              count += batch.messages.length;
              if (count >= MESSAGES) resolve();
            },
          });
        }),
      ),
    );
    await consumer.disconnect();

    if (spawnSync('kcat', ['-V']).status === 0) {
      const bootstrap = `127.0.0.1:${broker.port}`;
      const lines = `${'v'.repeat(MESSAGE_BYTES)}\n`.repeat(MESSAGES);
      report(await timed('kcat produce (acks=-1 default, incl. process start)', MESSAGES, payloadBytes, () => runKcat(['-b', bootstrap, '-P', '-t', 'bench.kcat'], lines)));
      report(
        await timed('kcat consume (incl. process start)', MESSAGES, payloadBytes, async () => {
          const out = await runKcat(['-b', bootstrap, '-C', '-t', 'bench.kcat', '-o', 'beginning', '-e', '-q']);
          const count = out.split('\n').length - 1;
          if (count !== MESSAGES) throw new Error(`kcat consumed ${count} of ${MESSAGES}`);
        }),
      );
    } else {
      console.log('kcat not installed: kcat figures skipped');
    }
  } finally {
    await broker.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
