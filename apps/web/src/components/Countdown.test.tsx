import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { Countdown } from './Countdown';

const NOW = Date.parse('2026-02-01T09:00:00Z');

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a live countdown', () => {
  it('ticks every second and turns overdue when the deadline passes', () => {
    render(<Countdown deadline={new Date(NOW + 65_000).toISOString()} />);
    expect(screen.getByText('in 1 min 5 s')).toBeTruthy();
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.getByText('in 55 s')).toBeTruthy();
    act(() => vi.advanceTimersByTime(60_000));
    const overdue = screen.getByText('overdue by 5 s');
    expect(overdue.className).toContain('countdown-overdue');
  });

  it('follows the language', async () => {
    render(<Countdown deadline={new Date(NOW - 2 * 24 * 3_600_000).toISOString()} />);
    expect(screen.getByText('overdue by 2 days')).toBeTruthy();
    await act(() => i18n.changeLanguage('de'));
    expect(screen.getByText('überfällig seit 2 Tagen')).toBeTruthy();
    await act(() => i18n.changeLanguage('en'));
  });

  it('stands still while the case is paused', () => {
    render(<Countdown deadline={new Date(NOW + 65_000).toISOString()} paused />);
    expect(screen.getByText('paused')).toBeTruthy();
  });
});
