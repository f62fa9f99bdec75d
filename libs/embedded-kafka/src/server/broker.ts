// The broker: owns the TCP listener, the topic store, the group coordinator, committed offsets and producer
// ids, runs retention, and shuts everything down in order.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { BrokerUser, UserDirectory } from '../auth/users';
import { GroupCoordinator } from '../groups/group-coordinator';
import { OffsetStore } from '../groups/offset-store';
import { BrokerState } from '../handlers/context';
import { ProducerIdAllocator } from '../producers/producer-id-allocator';
import { TopicStore } from '../storage/topic-store';
import { writeFileDurably } from '../storage/files';
import { lockDataDirectory } from '../storage/data-directory-lock';
import { Connection } from './connection';

export interface EmbeddedKafkaOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Directory for durable state; without it everything lives in memory. */
  dataDirectory?: string | null;
  /** Kafka's auto.create.topics.enable; off by default. */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics with -1. */
  defaultPartitions?: number;
  /** group.initial.rebalance.delay.ms (Kafka default 3000). */
  initialRebalanceDelayMs?: number;
  /** group.min.session.timeout.ms (Kafka default 6000): shorter JoinGroup session timeouts are refused. */
  minSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms (Kafka default 1800000). */
  maxSessionTimeoutMs?: number;
  /** log.retention.ms default for topics without retention.ms (-1 = forever; Kafka's default is 7 days). */
  retentionMs?: number;
  retentionBytes?: number;
  segmentBytes?: number;
  retentionCheckIntervalMs?: number;
  /** socket.request.max.bytes: larger frames close the connection. */
  maxRequestBytes?: number;
  /**
   * Users who may connect (SASL PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). Given: every connection must authenticate
   * first, and each user may do what its access level grants (auth/access.ts). Absent: no authentication, as on
   * a Kafka PLAINTEXT listener without an authorizer.
   */
  users?: BrokerUser[];
  log?: (message: string) => void;
}

export class EmbeddedKafka implements BrokerState {
  readonly nodeId = 0;
  readonly host: string;
  readonly autoCreateTopics: boolean;
  readonly topics: TopicStore;
  readonly groups: GroupCoordinator;
  readonly offsets: OffsetStore;
  readonly producerIds: ProducerIdAllocator;
  readonly clusterId: string;
  private server: net.Server | null = null;
  private boundPort = 0;
  private readonly sockets = new Set<net.Socket>();
  /** Wake-ups of fetches held at the log end; a Set, so a waiter leaving while others are woken skips nobody. */
  private dataWaiters = new Set<() => void>();
  private retentionTimer: NodeJS.Timeout | null = null;
  private readonly log: (message: string) => void;
  private unlockDataDirectory: () => void = () => undefined;
  private readonly users: UserDirectory | null;

  private constructor(private readonly options: EmbeddedKafkaOptions) {
    const dataDirectory = options.dataDirectory ?? null;
    if (dataDirectory) {
      fs.mkdirSync(dataDirectory, { recursive: true });
      this.unlockDataDirectory = lockDataDirectory(dataDirectory);
    }
    try {
      this.users = options.users ? new UserDirectory(options.users) : null;
      this.host = options.host ?? '127.0.0.1';
      this.autoCreateTopics = options.autoCreateTopics ?? false;
      this.log = options.log ?? (() => undefined);
      this.clusterId = EmbeddedKafka.loadClusterId(dataDirectory);
      this.topics = new TopicStore(dataDirectory, {
        partitions: options.defaultPartitions ?? 1,
        retentionMs: options.retentionMs ?? 7 * 24 * 3600 * 1000,
        retentionBytes: options.retentionBytes ?? -1,
        segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
      });
      if (this.topics.recovery.truncatedBytes > 0) {
        this.log(`recovery truncated ${this.topics.recovery.truncatedBytes} bytes of torn or invalid log tail`);
      }
      this.offsets = new OffsetStore(dataDirectory);
      this.producerIds = new ProducerIdAllocator(dataDirectory);
      this.groups = new GroupCoordinator({
        initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 3000,
        minSessionTimeoutMs: options.minSessionTimeoutMs ?? 6000,
        maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 30 * 60 * 1000,
      });
    } catch (error) {
      // A failed recovery must not leave the directory locked.
      this.unlockDataDirectory();
      throw error;
    }
  }

  private static loadClusterId(dataDirectory: string | null): string {
    if (!dataDirectory) return randomUUID();
    const file = path.join(dataDirectory, 'cluster-id');
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
    const id = randomUUID();
    writeFileDurably(file, id);
    return id;
  }

  /** Recovers state from the data directory (if any) and starts listening. */
  static async start(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
    const broker = new EmbeddedKafka(options);
    try {
      await broker.listen(options.port ?? 0);
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  /** True when connections must authenticate (users were given). */
  get requiresAuthentication(): boolean {
    return this.users !== null;
  }

  get port(): number {
    return this.boundPort;
  }

  /** "host:port", the value for kafkajs' `brokers` or librdkafka's `bootstrap.servers`. */
  get bootstrapServer(): string {
    return `${this.host}:${this.boundPort}`;
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      new Connection(socket, this, { maxRequestBytes: this.options.maxRequestBytes ?? 100 * 1024 * 1024, log: this.log, users: this.users });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.boundPort = (server.address() as net.AddressInfo).port;
        const interval = this.options.retentionCheckIntervalMs ?? 60_000;
        this.retentionTimer = setInterval(() => this.applyRetention(), interval);
        this.retentionTimer.unref();
        resolve();
      });
    });
  }

  /** Deletes segments past their topic's retention.ms / retention.bytes (also runs on a timer). */
  applyRetention(now = Date.now()): void {
    try {
      this.topics.applyRetention(now);
    } catch (error) {
      this.log(`retention failed: ${(error as Error).message}`);
    }
  }

  waitForData(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.dataWaiters;
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      function done(): void {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  notifyDataAppended(): void {
    const waiters = this.dataWaiters;
    this.dataWaiters = new Set();
    for (const wake of waiters) wake();
  }

  autoCreateTopic(name: string): boolean {
    if (!this.autoCreateTopics) return false;
    return this.topics.create(name, this.topics.defaults.partitions, {}).errorCode === 0;
  }

  /** Stops listening, drops connections, wakes long polls and closes files. */
  async stop(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = null;
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.notifyDataAppended();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.groups.close();
    this.offsets.close();
    this.topics.close();
    this.unlockDataDirectory();
    this.unlockDataDirectory = () => undefined;
  }
}
