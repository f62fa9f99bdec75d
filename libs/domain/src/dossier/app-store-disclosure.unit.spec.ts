import { at, DAY, event, history, HOUR, meta, MINUTE } from '../../testing/report-fixtures';
import { ReportEvent } from '../report/events';
import { disclosedToAppStores } from './app-store-disclosure';

/** A report's events as read back from the store, each at its time. */
const asStored = (events: ReportEvent[]) => events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, at: e.metadata.now }));

describe('what the app stores see of a report', () => {
  it('shows the content, what was asked of the platform and when, and how it answered', () => {
    const answered = event.responseRecorded({ clock: 'deletion', response: 'refused', reason: 'Not unlawful here', step: 'standard-contact' }, meta(DAY));
    const shown = disclosedToAppStores(asStored([...history.deletionRequested(), answered]));
    expect(shown.map((e) => e.type)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'PlatformResponseRecorded']);
    expect(Object.keys(shown[0].data).sort()).toEqual(['contentLocations', 'evidenceHash', 'excerpt', 'platform', 'seenAt']);
    expect(shown[1].data).toEqual({ category: 'call-to-murder', severity: 'high' });
    expect(shown[2]).toEqual({ type: 'DeletionRequested', at: at(20 * MINUTE), data: { deadline: at(20 * MINUTE + DAY) } });
    expect(shown[3].data).toEqual({ clock: 'deletion', response: 'refused', reason: 'Not unlawful here' });
  });

  it("keeps the reporter's reference, the policy, notes, assignments and the triage's chosen actions internal", () => {
    const internal = [event.noteAdded('Informant is the neighbour', meta(HOUR)), event.assigned({ assignee: 'b.weber' }, meta(HOUR))];
    const shown = disclosedToAppStores(asStored([...history.triaged(), ...internal]));
    expect(shown.map((e) => e.type)).toEqual(['ReportFiled', 'ReportTriaged']);
    const text = JSON.stringify(shown);
    for (const secret of ['LKA-BW-2026-123', 'Informant', 'b.weber', 'policy', 'referToProsecution', 'reporterReference']) expect(text).not.toContain(secret);
  });

  it('shows nothing of an event type it does not know', () =>
    expect(disclosedToAppStores([{ type: 'SomethingNew', data: { secret: 1 }, at: at(0) }])).toEqual([]));
});
