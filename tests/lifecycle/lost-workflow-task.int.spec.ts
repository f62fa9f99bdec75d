// The append runs as a local activity: its decision is recorded only with the workflow task that ran it. A task
// lost after the append (a worker, server or machine crash) leaves the case's stream ahead of its workflow; the
// stored events are the truth. The next decision folds them, then decides on that state; a request whose own
// events are among them (the same action re-sent to the workflow after the lost task) is not decided twice.
import { Action, reportActionUpdates, reportStateQuery } from '../../workflows/report-lifecycle.messages';
import { eventsToStore, reportEventId, reportEventSchemaVersion, reportStreamId, reportWorkflowId } from '@engine/contracts';
import type { ReportEvent, ReportState } from '@engine/domain';
import type { UpdateDefinition } from '@temporalio/client';
import { eventually, takeWarnings } from './lifecycle-stack';
import { filing, staff } from './report-filing';
import { useLifecycleStack } from './use-lifecycle-stack';

const AHEAD_WARNING = "WARN the case's stream is ahead of its workflow (a workflow task lost after storing): the workflow folds what is stored";

describe('a case whose stream is ahead of its workflow (a lost workflow task stored a decision)', () => {
  const stack = useLifecycleStack();

  /** Stores a note as a lost task's local activity would have: at the next version, behind the workflow's back. */
  async function storeBehindTheWorkflow(reportId: string, text: string, correlationId: string): Promise<void> {
    const streamId = reportStreamId(reportId);
    const expectedVersion = await stack().eventStore.streamVersion(streamId);
    const lost: ReportEvent = { type: 'NoteAdded', data: { text }, metadata: { actor: staff.username, now: new Date().toISOString(), correlationId } };
    await stack().eventStore.append(streamId, expectedVersion, eventsToStore([lost], { streamId, expectedVersion, eventId: (version) => reportEventId(reportId, version), schemaVersion: reportEventSchemaVersion }));
  }

  const addNote = (reportId: string, text: string, correlationId: string) =>
    stack()
      .client.workflow.getHandle(reportWorkflowId(reportId))
      .executeUpdate(reportActionUpdates.AddNote as UpdateDefinition<ReportState, [Action]>, { args: [{ data: { text }, actor: staff.username, correlationId }] });

  it('folds what is stored, then decides the next action on it', async () => {
    const reportId = `lost-task-${Date.now()}`;
    await stack().reports.file(filing(reportId), staff);
    await storeBehindTheWorkflow(reportId, 'Stored by a lost task', 'request-lost');

    const answer = await addNote(reportId, 'The next action', 'request-next');
    expect(answer.version).toBe(3);
    const stored = await stack().eventStore.readStream(reportStreamId(reportId));
    expect(stored.map((event) => [event.type, event.data.text, event.metadata.correlationId])).toEqual([
      ['ReportFiled', undefined, undefined],
      ['NoteAdded', 'Stored by a lost task', 'request-lost'],
      ['NoteAdded', 'The next action', 'request-next'],
    ]);
    const state = await stack().client.workflow.getHandle(reportWorkflowId(reportId)).query(reportStateQuery);
    expect(state.version).toBe(3);
    await eventually(async () => (takeWarnings().includes(AHEAD_WARNING) ? true : undefined));
  }, 30_000);

  it('answers an action re-sent after the lost task with what that task stored, without deciding it twice', async () => {
    const reportId = `lost-task-resent-${Date.now()}`;
    await stack().reports.file(filing(reportId), staff);
    await storeBehindTheWorkflow(reportId, 'Sent once', 'request-resent');

    const answer = await addNote(reportId, 'Sent once', 'request-resent');
    expect(answer.version).toBe(2);
    const stored = await stack().eventStore.readStream(reportStreamId(reportId));
    expect(stored.map((event) => [event.type, event.data.text])).toEqual([
      ['ReportFiled', undefined],
      ['NoteAdded', 'Sent once'],
    ]);
    // And the case goes on from there.
    expect((await addNote(reportId, 'Afterwards', 'request-after')).version).toBe(3);
    await eventually(async () => (takeWarnings().includes(AHEAD_WARNING) ? true : undefined));
  }, 30_000);
});
