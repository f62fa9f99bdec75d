import { Clock } from './clock';

describe('Clock', () => {
  let clock: Clock;
  beforeEach(() => (clock = new Clock()));
  afterEach(() => clock.stop());

  it('drops deadlines that stopped mattering, however far ahead, and still fires the others in order', async () => {
    const fired: number[] = [];
    const now = clock.now();
    // An activity's schedule-to-close years ahead, once per completed activity: none of them may pile up.
    for (let i = 0; i < 50_000; i++) clock.schedule(now + 10 * 365 * 86_400_000, () => fired.push(-1), () => false);
    for (const [i, wait] of [30, 10, 20].entries()) clock.schedule(now + wait, () => fired.push(i));
    expect(clock.pending).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fired).toEqual([1, 2, 0]);
  });

  it('keeps deadlines that still matter through a sweep', async () => {
    const fired: string[] = [];
    const now = clock.now();
    let live = true;
    clock.schedule(now + 40, () => fired.push('live'), () => live);
    for (let i = 0; i < 20_000; i++) clock.schedule(now + 86_400_000, () => fired.push('stale'), () => false);
    expect(clock.pending).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 90));
    expect(fired).toEqual(['live']);
    live = false;
  });
});
