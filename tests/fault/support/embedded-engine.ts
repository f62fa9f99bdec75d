// `npm start`'s program (dist/apps/embedded/src/main.js) on a data directory of the test's, restartable on the same
// data and ports after a SIGKILL. Always the embedded stack: the real engines' addresses in the environment of a
// real-engine run (engines.env) are cleared for it.

import { AUTH_TOKENS, ChildProgram, embeddedKafkaSasl, EnginePorts, freeEnginePorts, startProgram, TOKENS } from '../../e2e/engine-process';
import { TopicConnection } from '../../support/lifecycle-topic';
import { apiClient, ApiClient } from './api-client';

export { TOKENS };

export class EmbeddedEngine {
  private program?: ChildProgram;
  /** Every start's output, oldest first, for a failing test's message. */
  readonly outputs: string[] = [];
  private constructor(
    readonly dataDir: string,
    readonly ports: EnginePorts,
    private readonly env: Record<string, string>,
  ) {}

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<EmbeddedEngine> {
    const engine = new EmbeddedEngine(dataDir, await freeEnginePorts(), env);
    await engine.restart();
    return engine;
  }

  get api(): ApiClient {
    return apiClient(`http://127.0.0.1:${this.ports.port}`, TOKENS);
  }

  get kafkaBrokers(): string[] {
    return [`127.0.0.1:${this.ports.kafkaPort}`];
  }

  /** The embedded broker as an outside consumer reaches it: the read-only user `npm start` generated. */
  get topicReader(): TopicConnection {
    return { brokers: this.kafkaBrokers, sasl: embeddedKafkaSasl(this.dataDir, 'reader') };
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporalPort}`;
  }

  /** Starts the program again on the same data directory and ports; resolves once it says it is running. */
  async restart(): Promise<void> {
    if (this.program) throw new Error('the engine is still running');
    this.program = await startProgram(
      'dist/apps/embedded/src/main.js',
      [],
      {
        DATA_DIR: this.dataDir,
        PORT: String(this.ports.port),
        TEMPORAL_PORT: String(this.ports.temporalPort),
        KAFKA_PORT: String(this.ports.kafkaPort),
        AUTH_TOKENS,
        TEMPORAL_ADDRESS: '',
        KAFKA_BROKERS: '',
        DATABASE_URL: '',
        // The fault tests read every case several times over: the per-token rate limits would refuse them.
        RATE_LIMIT_PER_MINUTE: '0',
        ...this.env,
      },
      'Report escalation engine is running.',
      90_000,
    );
  }

  output(): string {
    return [...this.outputs, this.program?.output() ?? ''].join('\n--- restart ---\n');
  }

  /** The warnings and errors the engine logged (JSON lines of level warn or error), the last `count` of them. */
  problems(count = 20): string[] {
    return this.output()
      .split('\n')
      .filter((line) => /"level":"(warn|error|fatal)"/.test(line))
      .slice(-count);
  }

  /** Runs `check`; when it fails, the engine's last warnings and errors are added to the failure, as its likely cause. */
  async explainingFailure<T>(check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\nThe engine's last warnings and errors:\n${this.problems().join('\n')}`, { cause: error });
    }
  }

  /** Whether the process is still alive (it has not exited on its own). */
  async alive(): Promise<boolean> {
    return (await this.api.get('/health', null)).status !== 0;
  }

  /** SIGKILL (nothing is flushed or closed), or SIGTERM; resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const program = this.program;
    if (!program) return null;
    this.program = undefined;
    const code = await program.stop(signal);
    this.outputs.push(program.output());
    return code;
  }
}
