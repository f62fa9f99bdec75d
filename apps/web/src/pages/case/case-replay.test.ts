import { describe, expect, it } from 'vitest';
import { earlierVersion, laterVersion, viewedVersion, withViewedVersion } from './case-replay';

describe("stepping through a case's history", () => {
  it('shows a past version the address names, and now for the latest, beyond it or no version', () => {
    expect(viewedVersion('3', 9)).toBe(3);
    expect(viewedVersion('1', 9)).toBe(1);
    expect(viewedVersion('9', 9)).toBe('now');
    expect(viewedVersion('12', 9)).toBe('now');
    for (const raw of [null, '', '0', '-2', '2.5', '03', 'x', '1e2']) expect(viewedVersion(raw, 9)).toBe('now');
  });

  it('steps from now to the version before the latest, down to the first', () => {
    expect(earlierVersion('now', 9)).toBe(8);
    expect(earlierVersion(3, 9)).toBe(2);
    expect(earlierVersion(1, 9)).toBeNull();
    expect(earlierVersion('now', 1)).toBeNull();
  });

  it('steps later up to the latest, which is now', () => {
    expect(laterVersion(3, 9)).toBe(4);
    expect(laterVersion(8, 9)).toBe('now');
    expect(laterVersion('now', 9)).toBeNull();
  });

  it('walks every version once, there and back', () => {
    const visited: (number | 'now')[] = [];
    for (let at: number | 'now' | null = 'now'; at !== null; at = earlierVersion(at, 5)) visited.push(at);
    expect(visited).toEqual(['now', 4, 3, 2, 1]);
    const back: (number | 'now')[] = [];
    for (let at: number | 'now' | null = 1; at !== null; at = laterVersion(at, 5)) back.push(at);
    expect(back).toEqual([1, 2, 3, 4, 'now']);
  });

  it('keeps the version in the address and the other parameters with it', () => {
    expect(withViewedVersion(new URLSearchParams('tab=x'), 3).toString()).toBe('tab=x&atVersion=3');
    expect(withViewedVersion(new URLSearchParams('atVersion=3&tab=x'), 'now').toString()).toBe('tab=x');
  });
});
