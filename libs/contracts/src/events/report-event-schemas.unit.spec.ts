import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { ReportEvent } from '@engine/domain';
import { run, scenario } from '../../../domain/testing/random-report-histories';
import { at, DAY, event, HOUR, meta } from '../../../domain/testing/report-fixtures';
import { reportEventId, ReportLifecycleMessage } from './lifecycle-message';
import { REPORT_EVENT_TYPES, reportEventSchemaVersion, reportEventSchemaVersions, reportLifecycleMessageSchema } from './report-event-schemas';

const ajv = addFormats(new Ajv2020({ strict: true, strictRequired: false, allErrors: true }));
const validators = new Map(reportEventSchemaVersions().map(({ type, version }) => [`${type}.v${version}`, ajv.compile(reportLifecycleMessageSchema(type, version))]));

function asMessage(e: ReportEvent, streamVersion: number): ReportLifecycleMessage {
  return {
    eventId: reportEventId('r-1', streamVersion),
    type: e.type,
    schemaVersion: reportEventSchemaVersion(e),
    reportId: 'r-1',
    streamVersion,
    data: JSON.parse(JSON.stringify(e.data)),
    metadata: e.metadata,
    recordedAt: e.metadata.now,
  };
}

function problems(message: ReportLifecycleMessage): string[] {
  const { type } = message;
  const validate = validators.get(`${type}.v${message.schemaVersion}`)!;
  return validate(message) ? [] : (validate.errors ?? []).map((err) => `${type}${err.instancePath} ${err.message}`);
}

describe('the JSON Schemas of the lifecycle events', () => {
  it('accept every event the decider emits over random histories', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenario, (intents) => {
        run(intents).log.forEach((e, i) => {
          seen.add(e.type);
          expect(problems(asMessage(e, i + 1))).toEqual([]);
        });
      }),
      { numRuns: 500, seed: 7 },
    );
    expect([...seen].sort()).toEqual([...REPORT_EVENT_TYPES].sort());
  });

  it('refuse a message whose data does not fit its type', () => {
    const bad = { ...asMessage(event.reportTriaged(), 2), data: { category: 'spam', severity: 'high' } } as unknown as ReportLifecycleMessage;
    expect(problems(bad)).toEqual(expect.arrayContaining([
      'ReportTriaged/data must have required property \'actions\'',
      'ReportTriaged/data/category must be equal to one of the allowed values',
    ]));
  });

  it('refuse an unknown field, a missing actor and a bad instant', () => {
    const message = asMessage(event.noteAdded('x', meta()), 3) as ReportLifecycleMessage & { extra?: boolean };
    expect(problems({ ...message, extra: true } as ReportLifecycleMessage)).toEqual(['NoteAdded must NOT have additional properties']);
    expect(problems({ ...message, metadata: { actor: '', now: 'yesterday' } })).toEqual([
      'NoteAdded/metadata/actor must NOT have fewer than 1 characters',
      'NoteAdded/metadata/now must match format "date-time"',
    ]);
  });

  it("describe the platform's information on the effect given as version 2 of PlatformResponseRecorded; an answer without it stays version 1", () => {
    const withTimes = event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'reminder', receivedAt: at(DAY), effectGivenAt: at(DAY - HOUR) }, meta(2 * DAY));
    const withoutTimes = event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'reminder' }, meta(2 * DAY));
    expect(reportEventSchemaVersion(withTimes)).toBe(2);
    expect(reportEventSchemaVersion(withoutTimes)).toBe(1);
    expect(problems(asMessage(withTimes, 5))).toEqual([]);
    expect(problems(asMessage(withoutTimes, 5))).toEqual([]);
    // Version 1's consumers are not sent fields their schema refuses.
    expect(problems({ ...asMessage(withTimes, 5), schemaVersion: 1 })).toContain('PlatformResponseRecorded/data must NOT have additional properties');
    expect(reportEventSchemaVersions().filter(({ version }) => version > 1)).toEqual([{ type: 'PlatformResponseRecorded', version: 2 }]);
  });
});
