import { defaultEscalationPolicy } from '@engine/domain';
import { RequestValidationError } from './api-error';
import { DurationProperty, InstantProperty, rulesTableProblems, TextProperty, validateAs } from './validation';

class StepDto {
  @DurationProperty()
  duration!: string;

  @InstantProperty({ optional: true })
  startedAt?: string;

  @TextProperty({ maxLength: 5 })
  label!: string;
}

async function problemsOf(plain: unknown) {
  try {
    await validateAs(StepDto, plain, 'data');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).fields;
  }
}

describe('composite validators', () => {
  it('accept what the domain accepts', async () => {
    await expect(validateAs(StepDto, { duration: 'PT30S', startedAt: '2026-02-01T09:30:00+01:00', label: 'ok' }, 'data')).resolves.toBeInstanceOf(StepDto);
  });

  it('refuse months in a duration, an instant without zone, overlong text, with the prefix', async () => {
    expect(await problemsOf({ duration: 'P1M', startedAt: '2026-02-01T09:30:00', label: 'too long' })).toEqual([
      { field: 'data.duration', problems: [expect.stringContaining('ISO 8601 duration')] },
      { field: 'data.startedAt', problems: [expect.stringContaining('ISO 8601 instant with a time zone')] },
      { field: 'data.label', problems: ['label must be shorter than or equal to 5 characters'] },
    ]);
    expect(await problemsOf(['PT1H'])).toEqual([{ field: 'data', problems: ['data must be an object'] }]);
  });

  it('check a rules table as the domain does, and name keys it would ignore', () => {
    expect(rulesTableProblems(defaultEscalationPolicy('telegram').rules)).toEqual([]);
    // Through JSON: the default policy shares one ladder object between clocks.
    const rules = JSON.parse(JSON.stringify(defaultEscalationPolicy('telegram').rules)) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    rules.high.deletion.reminder.durration = 'PT1H';
    expect(rulesTableProblems(rules)).toEqual([
      'rules.high.deletion.reminder.durration is not known (expected duration, basis)',
    ]);
    expect(rulesTableProblems('PT1H')).toEqual(['rules must be an object']);
  });
});
