// The embedded server as a whole: clock, journal, engine, time skipping and the gRPC listener, started and
// stopped together.
import type { Server } from '@grpc/grpc-js';
import { ApiKeyCheck } from './api-key';
import { Clock } from './clock';
import { Engine } from './engine';
import { bind, createGrpcServer } from './grpc-service';
import { FileJournal, MemoryJournal, type FileJournalOptions, type JournalStore } from './journal';
import { TimeSkipper } from './time-skipping';

export interface EmbeddedTemporalOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Directory for the durable journal; without it state lives in memory only. */
  dataDir?: string;
  /** Enables the TestService's time skipping (what the SDK's time-skipping environment expects). */
  timeSkipping?: boolean;
  /** How long a poll waits for a task before answering empty (the real server uses about a minute). */
  longPollMs?: number;
  /** Custom search attributes registered at start (name -> IndexedValueType), like the dev server's --search-attribute. */
  searchAttributes?: Record<string, number>;
  /**
   * When set, every call must carry `authorization: Bearer <apiKey>` (the SDK's `apiKey` option); others are
   * answered UNAUTHENTICATED. Unset: no authentication, as the dev server.
   */
  apiKey?: string;
  /** How many runs keep their history in memory with `dataDir` (the rest are read back from the journal). */
  residentHistories?: number;
  /** When the journal compacts itself with `dataDir` (tests make it compact often). */
  journal?: FileJournalOptions;
}

export class EmbeddedTemporalServer {
  private constructor(
    private readonly grpc: Server,
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly journal: JournalStore,
    readonly port: number,
    readonly host: string,
    /** True when calls must carry the API key. */
    readonly requiresApiKey: boolean,
  ) {}

  /** host:port for clients and workers. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start(options: EmbeddedTemporalOptions = {}): Promise<EmbeddedTemporalServer> {
    const host = options.host ?? '127.0.0.1';
    const apiKey = options.apiKey !== undefined ? new ApiKeyCheck(options.apiKey) : null;
    const clock = new Clock();
    let journal: JournalStore = new MemoryJournal();
    let restored: ReturnType<typeof FileJournal.open>['runs'] | null = null;
    if (options.dataDir) {
      const opened = FileJournal.open(options.dataDir, options.journal);
      journal = opened.journal;
      restored = opened.runs;
    }
    let skipper: TimeSkipper | null = null;
    const engine = new Engine({
      clock,
      journal,
      longPollMs: options.longPollMs ?? 30_000,
      onActivity: () => skipper?.poke(),
      residentHistories: options.residentHistories,
    });
    skipper = new TimeSkipper(clock, (countRunning) => engine.outstandingWork(countRunning), options.timeSkipping ?? false);
    if (restored) engine.restore(restored);
    if (options.searchAttributes) await engine.addSearchAttributes(options.searchAttributes);
    const grpc = createGrpcServer(engine, skipper, apiKey);
    let port: number;
    try {
      port = await bind(grpc, host, options.port ?? 0);
    } catch (error) {
      clock.stop();
      await journal.close();
      throw error;
    }
    return new EmbeddedTemporalServer(grpc, engine, clock, journal, port, host, apiKey !== null);
  }

  async stop(): Promise<void> {
    this.engine.stop();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.grpc.forceShutdown();
        resolve();
      }, 2000);
      this.grpc.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.clock.stop();
    await this.journal.close();
  }
}
