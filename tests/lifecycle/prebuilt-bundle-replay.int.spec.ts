// The workflow bundles `npm run build` writes (dist/workflow-bundle), which `npm start` and the worker run instead
// of bundling at start, replay every recorded history as the sources do (workflow-replay.int.spec.ts): the plain
// bundle and the one with tracing's workflow interceptors.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { workflowCode, workflowSourcesHash } from '@engine/temporal';
import { currentTracing, startTracing, temporalWorkerTracing } from '@engine/telemetry';

const HISTORIES = join(__dirname, 'histories');

describe('the prebuilt workflow bundles', () => {
  const histories = (readdirSync(HISTORIES, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.history.pb'))
    .sort()
    .map((file) => ({
      history: temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, file))),
      workflowId: basename(file).replace(/\.history\.pb$/, ''),
    }));

  async function replayAll({ interceptors, sinks }: ReturnType<typeof temporalWorkerTracing> = {}): Promise<string[]> {
    const code = workflowCode(interceptors?.workflowModules);
    // Made from the sources as they are (workflowCode bundles from source otherwise, which is not under test here).
    if (!code.options.workflowBundle) throw new Error(`${code.description}: run \`npm run build:server\` first (sources ${workflowSourcesHash()})`);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: code.options.workflowBundle, sinks }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    return failures;
  }

  it('replay every recorded history (the plain bundle)', async () => {
    expect(histories.length).toBeGreaterThanOrEqual(6);
    expect(await replayAll()).toEqual([]);
  }, 120_000);

  it("replay every recorded history (the bundle with tracing's workflow interceptors)", async () => {
    const tracing = startTracing({ serviceName: 'replay', exporter: new InMemorySpanExporter() });
    try {
      const options = temporalWorkerTracing(tracing);
      expect(options.interceptors?.workflowModules).toHaveLength(1);
      expect(await replayAll(options)).toEqual([]);
    } finally {
      await currentTracing().shutdown();
    }
  }, 120_000);
});
