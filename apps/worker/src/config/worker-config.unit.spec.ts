import { InvalidConfigurationError, readWorkerConfig } from './worker-config';

const base = { TEMPORAL_ADDRESS: '127.0.0.1:7233', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('readWorkerConfig: the worker\'s workflow cache', () => {
  it('leaves the cache size to the SDK unless TEMPORAL_MAX_CACHED_WORKFLOWS sets it', () => {
    expect(readWorkerConfig(base).temporal.maxCachedWorkflows).toBeUndefined();
    expect(readWorkerConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: '500' }).temporal.maxCachedWorkflows).toBe(500);
    expect(readWorkerConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: '0' }).temporal.maxCachedWorkflows).toBe(0);
  });

  it.each(['-1', 'many', '2.5'])('refuses TEMPORAL_MAX_CACHED_WORKFLOWS=%s, naming it', (value) => {
    expect(() => readWorkerConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: value })).toThrow(InvalidConfigurationError);
    expect(() => readWorkerConfig({ ...base, TEMPORAL_MAX_CACHED_WORKFLOWS: value })).toThrow(/TEMPORAL_MAX_CACHED_WORKFLOWS/);
  });
});
