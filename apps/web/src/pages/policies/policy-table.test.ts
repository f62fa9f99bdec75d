import { describe, expect, it } from 'vitest';
import { cellAddresses, draftOf, policyDiff, readDraft, type PolicyRules } from './policy-table';

/** The engine's defaults in short: critical 1 h, high 24 h, standard 7 days, later steps 48 h. */
function defaults(): PolicyRules {
  const first = { critical: 'PT1H', high: 'PT24H', standard: 'P7D' } as const;
  const ladder = (duration: string) => ({
    'standard-contact': { duration, basis: 'calendar' as const },
    reminder: { duration: 'PT48H', basis: 'calendar' as const },
    'high-level-contact': { duration: 'PT48H', basis: 'calendar' as const },
    'app-store-pressure': { duration: 'P7D', basis: 'calendar' as const },
  });
  return {
    critical: { deletion: ladder(first.critical), 'subscriber-data': ladder(first.critical) },
    high: { deletion: ladder(first.high), 'subscriber-data': ladder(first.high) },
    standard: { deletion: ladder(first.standard), 'subscriber-data': ladder(first.standard) },
  };
}

describe('the policy table in the editor', () => {
  it('has 24 cells: 3 severities × 2 requests × 4 ladder steps', () => {
    expect(cellAddresses()).toHaveLength(24);
    expect(cellAddresses()[0]).toEqual({ severity: 'critical', clock: 'deletion', step: 'standard-contact' });
  });

  it('shows durations as people write them, in the language of the page', () => {
    expect(draftOf(defaults(), 'en').high.deletion['standard-contact']).toEqual({ duration: '24 h', basis: 'calendar' });
    expect(draftOf(defaults(), 'de').standard['subscriber-data']['standard-contact']).toEqual({ duration: '7 Tage', basis: 'calendar' });
  });

  it('stores an untouched table exactly as it was, and no difference', () => {
    const read = readDraft(draftOf(defaults(), 'de'), defaults());
    expect(read).toEqual({ ok: true, rules: defaults() });
    expect(policyDiff({ rules: defaults() }, { rules: defaults() })).toEqual([]);
  });

  it('stores edited cells as ISO 8601 and lists them as the differences, with the basis and the holiday state', () => {
    const draft = draftOf(defaults(), 'en');
    draft.high.deletion.reminder = { duration: '3 Tage', basis: 'business' };
    draft.critical['subscriber-data']['standard-contact'] = { duration: 'P1D', basis: 'calendar' };
    draft.standard.deletion['standard-contact'] = { duration: '168 h', basis: 'calendar' }; // 7 days: the same
    const read = readDraft(draft, defaults());
    if (!read.ok) throw new Error('expected the draft to read');
    expect(read.rules.high.deletion.reminder).toEqual({ duration: 'P3D', basis: 'business' });
    expect(read.rules.standard.deletion['standard-contact']).toEqual({ duration: 'P7D', basis: 'calendar' });
    expect(policyDiff({ rules: defaults() }, { rules: read.rules, holidayState: 'BW' })).toEqual([
      { kind: 'cell', severity: 'critical', clock: 'subscriber-data', step: 'standard-contact', before: { duration: 'PT1H', basis: 'calendar' }, after: { duration: 'P1D', basis: 'calendar' } },
      { kind: 'cell', severity: 'high', clock: 'deletion', step: 'reminder', before: { duration: 'PT48H', basis: 'calendar' }, after: { duration: 'P3D', basis: 'business' } },
      { kind: 'holiday-state', before: undefined, after: 'BW' },
    ]);
  });

  it('names every cell it cannot read, with the problem', () => {
    const draft = draftOf(defaults(), 'en');
    draft.high.deletion.reminder.duration = '2 months';
    draft.standard['subscriber-data']['app-store-pressure'].duration = '';
    expect(readDraft(draft, defaults())).toEqual({
      ok: false,
      problems: [
        { severity: 'high', clock: 'deletion', step: 'reminder', problem: 'months-or-years' },
        { severity: 'standard', clock: 'subscriber-data', step: 'app-store-pressure', problem: 'empty' },
      ],
    });
  });
});
