import { DeciderHost, DeciderHostOptions } from './decider-host';

/** A counter stream: a request adds its number of events; 'refuse' is refused by decide, 'unstorable' by append. */
type Request = number | 'refuse' | 'unstorable';
interface Counted {
  type: 'Counted';
  by: string;
}

function counter(overrides: Partial<DeciderHostOptions<Request, number, Counted>> = {}) {
  const log: string[] = [];
  const options: DeciderHostOptions<Request, number, Counted> = {
    state: 0,
    version: 0,
    decide: (request, state) => {
      if (request === 'refuse') throw new Error('refused');
      log.push(`decide ${request} on ${state}`);
      return Array.from({ length: request === 'unstorable' ? 1 : request }, () => ({ type: 'Counted' as const, by: String(request) }));
    },
    evolve: (state) => state + 1,
    append: async (events, expectedVersion, request) => {
      log.push(`append ${events.length} at ${expectedVersion}`);
      if (request === 'unstorable') throw new Error('unstorable');
    },
    react: ({ before, after, versionBefore }) => [async () => void log.push(`react ${before}→${after} from v${versionBefore}`)],
    onReactionFailure: (error) => log.push(`reaction failed: ${(error as Error).message}`),
    ...overrides,
  };
  return { host: new DeciderHost(options), log };
}

describe('the decider host', () => {
  it('decides one request after the other, each on the state the last one left, appending at the expected version', async () => {
    const { host, log } = counter();
    const answers = await Promise.all([host.execute(2), host.execute(1)]);
    expect(answers).toEqual([2, 3]);
    expect(host.version).toBe(3);
    expect(log.filter((line) => !line.startsWith('react'))).toEqual(['decide 2 on 0', 'append 2 at 0', 'decide 1 on 2', 'append 1 at 2']);
  });

  it('stores and folds nothing of a refused request, and goes on with the next', async () => {
    const { host } = counter();
    await expect(host.execute('refuse')).rejects.toThrow('refused');
    await expect(host.execute('unstorable')).rejects.toThrow('unstorable');
    expect(await host.execute(1)).toBe(1);
    expect(host.version).toBe(1);
  });

  it('carries out reactions behind the decisions, in order, and is idle only once they are done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { host, log } = counter({ react: ({ after }) => [() => gate.then(() => void log.push(`react ${after}`))] });
    await host.execute(1);
    await host.execute(1); // answered although the first reaction still waits
    expect(host.idle()).toBe(false);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.filter((line) => line.startsWith('react'))).toEqual(['react 1', 'react 2']);
    expect(host.idle()).toBe(true);
  });

  it('logs a failed reaction and carries out the next decision’s reactions anyway', async () => {
    const { host, log } = counter({ react: ({ after }) => [async () => { if (after === 1) throw new Error('platform down'); log.push(`react ${after}`); }] });
    await host.execute(1);
    await host.execute(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.filter((line) => line.startsWith('react') || line.startsWith('reaction'))).toEqual(['reaction failed: platform down', 'react 2']);
  });

  it('in-line: carries out the reactions before the next decision', async () => {
    const { host, log } = counter({ reactions: 'in-line' });
    await Promise.all([host.execute(1), host.execute(1)]);
    expect(log).toEqual(['decide 1 on 0', 'append 1 at 0', 'react 0→1 from v0', 'decide 1 on 1', 'append 1 at 1', 'react 1→2 from v1']);
  });

  it('on a fresh run, reloads the stream before any decision', async () => {
    const { host, log } = counter();
    const decided = [host.reload(async () => ({ state: 5, version: 5 })), host.execute(1)];
    await Promise.all(decided);
    expect(log[0]).toBe('decide 1 on 5');
    expect(log[1]).toBe('append 1 at 5');
    expect(host.state).toBe(6);
    expect(host.loading()).toBe(false);
  });

  it('says it is loading until the stream is read, also when reading fails', async () => {
    const { host } = counter();
    let read!: () => void;
    const reloaded = host.reload(() => new Promise((resolve) => (read = () => resolve({ state: 2, version: 2 }))));
    expect(host.loading()).toBe(true);
    await Promise.resolve();
    read();
    await reloaded;
    expect(host.loading()).toBe(false);
    await expect(host.reload(async () => { throw new Error('store down'); })).rejects.toThrow('store down');
    expect(host.loading()).toBe(false);
  });
});
