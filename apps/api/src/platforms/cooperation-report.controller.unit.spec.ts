import { cooperationReport, reportingPeriods } from '@engine/domain';
import { at, event, meta, MINUTE } from '../../../../libs/domain/testing/report-fixtures';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

// One deletion request in March 2026, removed after an hour; none in February.
const periods = reportingPeriods({ period: '2026-03' }, at(0));
const report = cooperationReport({
  platform: 'telegram',
  period: periods.current,
  previousPeriod: periods.previous,
  reports: [
    {
      reportId: 'r-1',
      events: [
        event.reportFiled(),
        event.reportTriaged('high'),
        event.deletionRequested(at(20 * MINUTE + 24 * 60 * MINUTE)),
        event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(80 * MINUTE)),
      ],
    },
  ],
  dossierEvents: [],
  asOf: at(10 * 24 * 60 * MINUTE),
});

const get = (path: string) => api.http.get(path).set('Authorization', bearer('viewer'));

describe('GET /api/platforms/:platform/cooperation-report', () => {
  it('answers the report as JSON for the month asked, compared with the month before', async () => {
    api.platforms.cooperationReport.mockResolvedValueOnce(report);
    const response = await get('/api/platforms/Telegram/cooperation-report?period=2026-03');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(report)));
    expect(api.platforms.cooperationReport).toHaveBeenCalledWith('telegram', periods);
  });

  it('takes from and to, compared with the span of the same length before', async () => {
    api.platforms.cooperationReport.mockResolvedValueOnce(report);
    await get('/api/platforms/telegram/cooperation-report?from=2026-11-10T00:00:00Z&to=2026-11-20T00:00:00Z');
    expect(api.platforms.cooperationReport.mock.calls[0][1]).toMatchObject({
      current: { from: '2026-11-10T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' },
      previous: { from: '2026-10-31T00:00:00.000Z', to: '2026-11-10T00:00:00.000Z' },
    });
  });

  it('answers CSV for Accept: text/csv or format=csv: UTF-8 with a byte order mark, German labels intact, a header row, semicolons', async () => {
    for (const asked of [get('/api/platforms/telegram/cooperation-report?period=2026-03').set('Accept', 'text/csv'), get('/api/platforms/telegram/cooperation-report?period=2026-03&format=csv')]) {
      api.platforms.cooperationReport.mockResolvedValueOnce(report);
      const response = await asked.buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe('attachment; filename="kooperationsbericht-telegram-2026-03.csv"');
      const bytes = response.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.includes(Buffer.from([0xc3, 0xb6]))).toBe(true); // "ö" of Löschersuchen, in UTF-8
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).toBe('Kennzahl;Bezeichnung;Zeitraum;Vorzeitraum;Veränderung');
      expect(lines).toContain('platform;Plattform;telegram;;');
      expect(lines).toContain('period;Zeitraum;2026-03;2026-02;');
      expect(lines).toContain('requests.deletion;Löschersuchen;1;0;1');
      expect(lines).toContain('deletion.removed;Inhalt entfernt;1;0;1');
      expect(lines).toContain('timeToEffect.medianSeconds;Zeit bis zur Wirkung: Median (Sekunden);3600;;');
      expect(lines).toContain('byCategory.call-to-murder.deletion;Aufruf zur Tötung: Löschersuchen;1;0;1');
      // One row per figure, besides the header and the five rows naming platform, periods and instant.
      expect(lines.filter((line) => line !== '')).toHaveLength(1 + 5 + report.changes.length);
    }
  });

  it('answers JSON to a browser that accepts anything', async () => {
    api.platforms.cooperationReport.mockResolvedValueOnce(report);
    const response = await get('/api/platforms/telegram/cooperation-report?period=2026-03').set('Accept', 'text/html,*/*');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it.each([
    ['period=2026-13', 'period'],
    ['period=2026-Q5', 'period'],
    ['period=2026-11&from=2026-11-01T00:00:00Z', 'period'],
    ['from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z', 'from'],
    ['from=yesterday', 'from'],
    ['format=xlsx', 'format'],
  ])('refuses %s with 400 naming %s, asking nothing', async (query, field) => {
    const response = await get(`/api/platforms/telegram/cooperation-report?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.details.map((problem: { field: string }) => problem.field)).toContain(field);
    expect(api.platforms.cooperationReport).not.toHaveBeenCalled();
  });

  it('answers 404 for an unknown platform and 401 without a token', async () => {
    api.platforms.resolve.mockResolvedValueOnce(undefined);
    expect((await get('/api/platforms/nowhere/cooperation-report')).status).toBe(404);
    expect((await api.http.get('/api/platforms/telegram/cooperation-report')).status).toBe(401);
  });
});
