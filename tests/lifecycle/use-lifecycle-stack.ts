// Jest hooks for a spec file that needs the lifecycle stack with one worker: started once, stopped at the end,
// and every test fails on an SDK warning it did not expect.
import { DossierRules } from '@engine/domain';
import { LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';

export function useLifecycleStack(options: { dossierRules?: DossierRules } = {}): () => LifecycleStack {
  let stack: LifecycleStack | undefined;
  beforeAll(async () => {
    stack = await startLifecycleStack(options);
    await stack.startWorker();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);
  afterEach(() => expect(takeWarnings()).toEqual([]));
  return () => {
    if (!stack) throw new Error('the lifecycle stack did not start');
    return stack;
  };
}
