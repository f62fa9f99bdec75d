// Interoperability with librdkafka through Debian's kcat: produce with keys and headers (also compressed and
// idempotent), consume, metadata listing and a consumer group, mixed with kafkajs on the same topics.
// On ENGINES=real kcat talks to the shared Apache Kafka broker (unique topic and group names).
import { spawn, spawnSync } from 'node:child_process';
import { Kafka } from 'kafkajs';
import { collectMessages, kafkaFor } from './support/kafkajs';
import { BrokerUnderTest, sharedBroker, uniqueName } from './support/target';

jest.setTimeout(60000);

const kcatInstalled = spawnSync('kcat', ['-V']).status === 0;
if (!kcatInstalled && process.env.CI === 'true') {
  // CI installs kcat (.ci/run); its absence there is a broken pipeline, not a reason to skip.
  throw new Error('kcat is not installed but CI=true: the kcat interoperability tests must run in CI');
}
const describeWithKcat = kcatInstalled ? describe : describe.skip;

/** Runs kcat asynchronously (the broker runs in this process, so a blocking spawn would deadlock). */
function kcat(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} timed out:\n${stderr}`));
    }, 30000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

describeWithKcat('Kafka broker with kcat (librdkafka)', () => {
  let broker: BrokerUnderTest;
  let kafka: Kafka;
  let bootstrap: string;
  const topics = {
    keyed: uniqueName('kcat.keyed'),
    codecs: uniqueName('kcat.codecs'),
    group: uniqueName('kcat.group'),
    fromKafkajs: uniqueName('kcat.from-kafkajs'),
  };
  const groups = { kafkajsReadsKcat: uniqueName('kafkajs-reads-kcat'), kcat: uniqueName('kcat-group') };

  beforeAll(async () => {
    broker = await sharedBroker({ initialRebalanceDelayMs: 100 });
    bootstrap = broker.bootstrapServer;
    kafka = kafkaFor(bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: topics.keyed, numPartitions: 3 },
        { topic: topics.codecs, numPartitions: 1 },
        { topic: topics.group, numPartitions: 2 },
        { topic: topics.fromKafkajs, numPartitions: 1 },
      ],
    });
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('lists brokers, topics and partitions (-L)', async () => {
    const result = await kcat(['-b', bootstrap, '-L', '-J']);
    expect(result.code).toBe(0);
    const metadata = JSON.parse(result.stdout) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: unknown[] }[] };
    // One broker, at the address it was reached on (its node id is the broker's own: 0 for the stand-in).
    expect(metadata.brokers.map((b) => b.name)).toEqual([bootstrap]);
    expect(metadata.topics.find((t) => t.topic === topics.keyed)?.partitions).toHaveLength(3);
  });

  it('produces keyed messages with headers that kcat and kafkajs both read back', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `report-${i % 4}:event-${i}`).join('\n');
    const produced = await kcat(['-b', bootstrap, '-P', '-t', topics.keyed, '-K:', '-H', 'ce_type=ReportFiled', '-H', 'ce_source=kcat', '-X', 'enable.idempotence=true'], `${lines}\n`);
    expect(produced.code).toBe(0);

    const consumed = await kcat(['-b', bootstrap, '-C', '-t', topics.keyed, '-o', 'beginning', '-e', '-q', '-f', '%p|%k|%s|%h\n']);
    expect(consumed.code).toBe(0);
    const rows = consumed.stdout.trim().split('\n').map((line) => line.split('|'));
    expect(rows).toHaveLength(12);
    const partitionOfKey = new Map<string, string>();
    for (const [partition, key, value, headers] of rows) {
      expect(partitionOfKey.get(key) ?? partition).toBe(partition);
      partitionOfKey.set(key, partition);
      expect(value).toMatch(/^event-\d+$/);
      expect(headers).toBe('ce_type=ReportFiled,ce_source=kcat');
    }
    for (let k = 0; k < 4; k++) {
      const values = rows.filter((r) => r[1] === `report-${k}`).map((r) => r[2]);
      expect(values).toEqual([0, 1, 2].map((j) => `event-${k + 4 * j}`));
    }

    const consumer = kafka.consumer({ groupId: groups.kafkajsReadsKcat, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.keyed, fromBeginning: true });
    const received = await collectMessages(consumer, 12);
    await consumer.disconnect();
    expect(received.map((m) => String(m.message.headers?.ce_source))).toEqual(Array(12).fill('kcat'));
  });

  it('stores compressed batches as sent and serves them back (gzip, snappy, lz4, zstd)', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
      const produced = await kcat(['-b', bootstrap, '-P', '-t', topics.codecs, '-z', codec], `${codec}-1\n${codec}-2\n`);
      expect(produced.code).toBe(0);
    }
    const consumed = await kcat(['-b', bootstrap, '-C', '-t', topics.codecs, '-o', 'beginning', '-e', '-q', '-f', '%o %s\n']);
    expect(consumed.stdout.trim().split('\n')).toEqual(
      ['gzip', 'snappy', 'lz4', 'zstd'].flatMap((codec, i) => [`${2 * i} ${codec}-1`, `${2 * i + 1} ${codec}-2`]),
    );
  });

  it('reads what kafkajs produced, headers included', async () => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: topics.fromKafkajs, acks: -1, messages: [{ key: 'r1', value: 'from kafkajs', headers: { ce_id: 'abc' } }] });
    await producer.disconnect();
    const consumed = await kcat(['-b', bootstrap, '-C', '-t', topics.fromKafkajs, '-o', 'beginning', '-e', '-q', '-f', '%k=%s %h\n']);
    expect(consumed.stdout).toBe('r1=from kafkajs ce_id=abc\n');
  });

  it('consumes as a consumer group (-G) and commits its offsets', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topics.group, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `g${i}` })) });
    await producer.disconnect();
    const consumed = await kcat(['-b', bootstrap, '-G', groups.kcat, '-o', 'beginning', '-e', '-q', '-f', '%s\n', '-X', 'auto.commit.interval.ms=100', topics.group]);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(Array.from({ length: 10 }, (_, i) => `g${i}`).sort());

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: groups.kcat, topics: [topics.group] });
    const listed = await admin.listGroups();
    await admin.disconnect();
    expect(committed[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(10);
    expect(listed.groups.map((g) => g.groupId)).toContain(groups.kcat);
  });
});
