import { describe, expect, it } from 'vitest';
import { emptyLocation, emptyReport, localToInstant, reportBody, validateReport, type ReportValues } from './report-form';

const valid = (): ReportValues => ({
  reportId: '',
  platform: 'telegram',
  channel: 'state-police',
  contentLocations: [{ url: 'https://t.me/examplechannel/4711', channel: '', messageIds: '' }],
  excerpt: 'Call to murder a virologist',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-11-20T11:00',
  reporterReference: 'LKA-BW-2026-123',
});

describe('checking a report as POST /api/reports does', () => {
  it('accepts a complete report', () => {
    expect(validateReport(valid())).toEqual({});
  });

  it('names every missing field of an empty form', () => {
    expect(validateReport(emptyReport())).toEqual({
      platform: 'required',
      channel: 'required',
      'contentLocations.0.url': 'location',
      excerpt: 'required',
      evidenceHash: 'required',
      seenAt: 'required',
      reporterReference: 'required',
    });
  });

  it('wants at least one location, each with a URL or a channel, URLs over http(s)', () => {
    expect(validateReport({ ...valid(), contentLocations: [] })).toEqual({ contentLocations: 'no-location' });
    const locations = [
      { url: 'ftp://example.org/x', channel: '', messageIds: '' },
      { url: '', channel: 'examplechannel', messageIds: '1, ,2' },
      { url: 'https://example.org/ok', channel: '', messageIds: '' },
    ];
    expect(validateReport({ ...valid(), contentLocations: locations })).toEqual({
      'contentLocations.0.url': 'url',
      'contentLocations.1.messageIds': 'message-ids',
    });
  });

  it('checks patterns and lengths as the API does', () => {
    expect(validateReport({ ...valid(), platform: '-telegram', reportId: 'has space', evidenceHash: 'nohash' })).toEqual({
      platform: 'platform',
      reportId: 'report-id',
      evidenceHash: 'evidence-hash',
    });
    expect(validateReport({ ...valid(), excerpt: '   ', reporterReference: 'r'.repeat(201) })).toEqual({ excerpt: 'blank', reporterReference: { tooLong: 200 } });
    expect(validateReport({ ...valid(), seenAt: '20.11.2026' })).toEqual({ seenAt: 'seen-at' });
  });
});

describe('the body of a report', () => {
  it('sends the seen time as an instant, locations without empty parts, no report id when none was given', () => {
    const body = reportBody({
      ...valid(),
      contentLocations: [{ url: ' https://t.me/a/1 ', channel: '', messageIds: '' }, { ...emptyLocation(), channel: 'a', messageIds: '1, 2' }],
    });
    expect(body).toEqual({
      platform: 'telegram',
      channel: 'state-police',
      contentLocations: [{ url: 'https://t.me/a/1' }, { channel: 'a', messageIds: ['1', '2'] }],
      excerpt: 'Call to murder a virologist',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: localToInstant('2026-11-20T11:00'),
      reporterReference: 'LKA-BW-2026-123',
    });
    expect(reportBody({ ...valid(), reportId: 'LKA-1' }).reportId).toBe('LKA-1');
  });

  it('reads local time in the browser time zone', () => {
    // vitest.config.ts pins Europe/Berlin: 11:00 in November is 10:00 UTC.
    expect(localToInstant('2026-11-20T11:00')).toBe('2026-11-20T10:00:00.000Z');
    expect(localToInstant('nonsense')).toBeUndefined();
  });
});
