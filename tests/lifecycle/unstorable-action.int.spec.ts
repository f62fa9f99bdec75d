// An action whose events the store can never keep (text with NUL or a lone surrogate, sent past the HTTP edge's
// check, straight to the workflow) is refused at once with the reason, stores nothing, and leaves the case
// accepting the next action: it is not retried for ever with every later action of the case waiting behind it.
import { reportStreamId } from '@engine/contracts';
import { eventually, takeWarnings } from './lifecycle-stack';
import { filing, staff } from './report-filing';
import { useLifecycleStack } from './use-lifecycle-stack';

const admin = { username: 'admin.kurz', role: 'admin' as const };

describe('an action the event store cannot keep', () => {
  const stack = useLifecycleStack();

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('with %s is refused with the reason, and the case takes the next action', async (_what, text) => {
    const reportId = `unstorable-${Date.now()}-${text.charCodeAt(1)}`;
    await stack().reports.file(filing(reportId), staff);
    const started = Date.now();
    await expect(stack().reports.act(reportId, 'AddNote', { text }, staff)).rejects.toMatchObject({
      name: 'UnstorableInputError',
      message: expect.stringMatching(/^The event store refused the events: events\[0\]\.data\.text contains (the NUL character|an unpaired UTF-16 surrogate)/),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    // The worker says so once, as for any failed activity: one attempt, no retries.
    const warnings: string[] = [];
    await eventually(async () => (warnings.push(...takeWarnings()), warnings.length > 0 ? true : undefined));
    expect(warnings).toEqual(['WARN Activity failed']);

    const next = await stack().reports.act(reportId, 'AddNote', { text: 'Checked again: still online' }, staff);
    expect(next.version).toBe(2);
    const stored = await stack().eventStore.readStream(reportStreamId(reportId));
    expect(stored.map((event) => [event.type, event.data.text])).toEqual([
      ['ReportFiled', undefined],
      ['NoteAdded', 'Checked again: still online'],
    ]);
  }, 30_000);

  it('in a filing is refused with the reason, and the report can be filed again with storable text', async () => {
    const reportId = `unstorable-filing-${Date.now()}`;
    await expect(stack().reports.file({ ...filing(reportId), excerpt: 'Call to murder\u0000' }, staff)).rejects.toMatchObject({
      name: 'UnstorableInputError',
      message: expect.stringContaining('events[0].data.excerpt contains the NUL character'),
    });
    const warnings: string[] = [];
    await eventually(async () => (warnings.push(...takeWarnings()), warnings.length > 0 ? true : undefined));
    expect(warnings).toEqual(['WARN Activity failed']);
    const { created, report } = await stack().reports.file(filing(reportId), staff);
    expect([created, report.version]).toEqual([true, 1]);
  }, 30_000);

  it('in a policy reason is refused by the policy service with the reason, and nothing is stored', async () => {
    const { policy } = await stack().policies.current('unstorable-platform');
    await expect(stack().policies.change('unstorable-platform', { rules: policy.rules, appliesTo: 'new-cases', reason: 'drill\u0000' }, admin)).rejects.toMatchObject({
      name: 'UnstorableInputError',
      message: expect.stringContaining('contains the NUL character'),
    });
    expect(await stack().policies.versions('unstorable-platform')).toHaveLength(1);
  }, 30_000);
});
