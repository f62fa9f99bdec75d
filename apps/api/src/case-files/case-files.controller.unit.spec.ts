import { inflateSync } from 'node:zlib';
import { buildCaseFile } from '@engine/domain';
import { at, DAY, event, history, HOUR, meta, MINUTE, REPORT_ID } from '../../../../libs/domain/testing/report-fixtures';
import { ReportNotFoundError } from '../reports/reports.service';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';
import { renderCaseFilePdf } from './case-file-pdf';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const events = [
  ...history.deletionRequested(),
  event.noteAdded('Zeugin ruft zurück: Straße, Größe, Übermaß', meta(40 * MINUTE)),
  event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(DAY + HOUR)),
];
const stored = events.map((e, index) => ({ streamVersion: index + 1, eventId: `${REPORT_ID}:${index + 1}`, type: e.type, data: e.data, actor: e.metadata.actor, occurredAt: e.metadata.now, recordedAt: e.metadata.now }));
const sent = {
  messageId: `${REPORT_ID}:3:deletion-request`, kind: 'deletion-request', platform: 'telegram', recipient: 'standard-contact', reportId: REPORT_ID,
  subject: 'Anordnung (Art. 9 DSA)', channel: 'smtp' as const, address: 'abuse@platform.example', attempts: 1, status: 'delivered' as const,
  lastError: null, firstAttemptAt: at(20 * MINUTE), lastAttemptAt: at(20 * MINUTE),
};

/** The text a PDF shows: its (possibly deflated) content streams, with pdfkit's hex-encoded WinAnsi strings decoded. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams = [...raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].map((match) => {
    const bytes = Buffer.from(match[1], 'latin1');
    try {
      return inflateSync(bytes).toString('latin1');
    } catch {
      return bytes.toString('latin1');
    }
  });
  // pdfkit writes each line as a TJ array of hex strings with kerning numbers between them.
  return [...streams.join('\n').matchAll(/\[([^\]]*)\]\s*TJ/g)]
    .map((line) => [...line[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => Buffer.from(hex[1], 'hex').toString('latin1')).join(''))
    .join('\n');
}

describe('GET /api/reports/:id/case-file', () => {
  beforeEach(() => {
    api.reports.events.mockResolvedValue({ reportId: REPORT_ID, events: stored, integrity: { verified: true } });
    api.reports.messages.mockResolvedValue([sent]);
  });

  it('answers the prosecution the whole file as JSON', async () => {
    const response = await api.http.get(`/api/reports/${REPORT_ID}/case-file?recipient=prosecution`).set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(api.reports.events).toHaveBeenCalledWith(REPORT_ID);
    expect(response.body).toMatchObject({
      reportId: REPORT_ID,
      recipient: 'prosecution',
      status: 'active',
      version: 5,
      report: { evidenceHash: 'sha256:9f2c…', reporterReference: 'LKA-BW-2026-123' },
      triage: { legalProvision: '§ 111 i. V. m. § 211 StGB (Öffentliche Aufforderung zum Mord)', severity: 'high' },
      requests: [{ request: 'deletion', sentAt: at(20 * MINUTE), answer: { response: 'removed', recordedAt: at(DAY + HOUR) } }],
      notes: [{ text: 'Zeugin ruft zurück: Straße, Größe, Übermaß' }],
      messages: [{ kind: 'deletion-request', subject: 'Anordnung (Art. 9 DSA)', channel: 'smtp' }],
      integrity: { verified: true, events: 5 },
      withheld: [],
    });
    expect(response.body.timeline).toHaveLength(5);
    expect(Date.parse(response.body.generatedAt)).not.toBeNaN();
  });

  it('leaves out for the app stores the notes, the reporter reference and the delivery details', async () => {
    const response = await api.http.get(`/api/reports/${REPORT_ID}/case-file?recipient=app-store`).set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body.recipient).toBe('app-store');
    expect(response.body.notes).toBeUndefined();
    expect(response.body.report.reporterReference).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toMatch(/LKA-BW-2026-123|Zeugin|analyst\.meyer|abuse@platform/);
    expect(response.body.withheld.length).toBeGreaterThan(0);
  });

  it('answers a PDF download with format=pdf or Accept: application/pdf, holding the report id and its German text', async () => {
    for (const request of [
      api.http.get(`/api/reports/${REPORT_ID}/case-file?recipient=prosecution&format=pdf`),
      api.http.get(`/api/reports/${REPORT_ID}/case-file?recipient=prosecution`).set('Accept', 'application/pdf'),
    ]) {
      const response = await request.set('Authorization', bearer('viewer')).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(`attachment; filename="case-file-${REPORT_ID}-prosecution.pdf"`);
      const pdf = response.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf);
      expect(text).toContain(REPORT_ID);
      expect(text).toContain('Zeugin ruft zurück: Straße, Größe, Übermaß');
      expect(text).toContain('§ 111 i. V. m. § 211 StGB');
    }
  });

  it('the app stores\' PDF has no notes or reporter reference either', async () => {
    const file = buildCaseFile({ reportId: REPORT_ID, recipient: 'app-store', generatedAt: at(2 * DAY), events: stored, integrity: { verified: true }, messages: [sent] });
    const text = pdfText(await renderCaseFilePdf(file, { compress: false }));
    expect(text).toContain(REPORT_ID);
    expect(text).toContain('Left out for this recipient');
    expect(text).not.toMatch(/LKA-BW-2026-123|Zeugin/);
  });

  it('refuses a missing or unknown recipient or format with 400, an unknown report with 404, and needs a token', async () => {
    for (const query of ['', '?recipient=press', '?recipient=prosecution&format=docx']) {
      const response = await api.http.get(`/api/reports/${REPORT_ID}/case-file${query}`).set('Authorization', bearer('viewer'));
      expect(response.status).toBe(400);
    }
    api.reports.events.mockRejectedValueOnce(new ReportNotFoundError('r404'));
    expect((await api.http.get('/api/reports/r404/case-file?recipient=prosecution').set('Authorization', bearer('viewer'))).status).toBe(404);
    expect((await api.http.get(`/api/reports/${REPORT_ID}/case-file?recipient=prosecution`)).status).toBe(401);
  });
});
