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

/**
 * The text a PDF shows, as a reader copying it would get it: each content stream's TJ strings (hex glyph ids of
 * the font selected with Tf) mapped back to characters through that font's ToUnicode map. Streams may be deflated.
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const objects = new Map<string, { dictionary: string; stream?: string }>();
  for (const match of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = match[2];
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt < 0) {
      objects.set(match[1], { dictionary: body });
      continue;
    }
    const bytes = Buffer.from(body.slice(streamAt).replace(/^stream\r?\n/, '').replace(/\r?\nendstream\s*$/, ''), 'latin1');
    let stream: string;
    try {
      stream = inflateSync(bytes).toString('latin1');
    } catch {
      stream = bytes.toString('latin1');
    }
    objects.set(match[1], { dictionary: body.slice(0, streamAt), stream });
  }
  // Font resource name (/F1) → glyph id → characters.
  const fonts = new Map<string, Map<number, string>>();
  for (const { dictionary } of objects.values()) {
    for (const [, name, fontObject] of dictionary.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontObject)?.dictionary ?? '');
      const cmap = toUnicode && objects.get(toUnicode[1])?.stream;
      if (!cmap) throw new Error(`font ${name} has no ToUnicode map: the text cannot be read back`);
      const glyphs = new Map<number, string>();
      for (const [, start, entries] of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
        [...entries.matchAll(/<([0-9a-f ]*)>/gi)].forEach((entry, offset) => {
          const units = entry[1].split(' ').filter(Boolean).map((unit) => parseInt(unit, 16));
          glyphs.set(parseInt(start, 16) + offset, String.fromCharCode(...units));
        });
      }
      fonts.set(name, glyphs);
    }
  }
  const lines: string[] = [];
  for (const { dictionary, stream } of objects.values()) {
    if (stream === undefined || /\/Type \/Font|\/Length1|CMapName/.test(dictionary + stream.slice(0, 200))) continue;
    let font: Map<number, string> | undefined;
    for (const operation of stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ/g)) {
      if (operation[1]) font = fonts.get(operation[1]);
      else
        lines.push(
          [...operation[2].matchAll(/<([0-9a-fA-F]*)>/g)]
            .flatMap((hex) => hex[1].match(/.{4}/g) ?? [])
            .map((glyph) => font?.get(parseInt(glyph, 16)) ?? '\u0000')
            .join(''),
        );
    }
  }
  return lines.join('\n');
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

  it('prints any script: Cyrillic, Greek and Arabic as written, in an embedded Unicode font; an emoji it has no glyph for as "�"', async () => {
    const cyrillic = [
      { ...events[0], data: { ...(events[0].data as object), excerpt: 'Убить вирусолога — Ελληνικά, عربي 👍🏽❤️ done' } },
      ...events.slice(1),
    ];
    const file = buildCaseFile({
      reportId: REPORT_ID,
      recipient: 'prosecution',
      generatedAt: at(2 * DAY),
      events: cyrillic.map((e, index) => ({ ...stored[index], data: e.data })),
      integrity: { verified: true },
      messages: [sent],
    });
    const pdf = await renderCaseFilePdf(file, { compress: false });
    const text = pdfText(pdf);
    expect(text).toContain('Убить вирусолога — Ελληνικά');
    // Arabic is shaped and set right to left: the page holds its letters in visual order.
    expect(text).toContain([...'عربي'].reverse().join(''));
    expect(text).toContain('Zeugin ruft zurück: Straße, Größe, Übermaß');
    // Neither the thumbs-up nor its skin tone has a glyph in DejaVu Sans; the heart has.
    expect(text).toMatch(/\ufffd\ufffd❤\ufe0f? done/);
    expect(text).not.toContain('?');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
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
