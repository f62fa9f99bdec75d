// The deletion request as an order under Art. 9(2) DSA and the case file, on the engine as `npm start` assembles it
// (embedded Temporal and Kafka, PGlite, worker, projector, API, ISSUING_AUTHORITY set): a threat is triaged and
// ordered removed; the message the worker sends is the order (its subject names Art. 9 DSA and § 241 StGB; the
// body's elements are the domain renderer's, specified there); the platform's answer is recorded with when it
// arrived and when it gave effect; the case file for the prosecution holds it all with the chain verdict, the app
// stores' leaves out the note and the reporter reference, and the PDF downloads.
import { DEFAULT_HTTP_DEFENCE } from '../../apps/api/src/config/http-defence-config';
import { eventually } from '../support/eventually';
import { startInProcessEngine } from '../support/in-process-engine';

const STAFF = 'case-file-staff-token';
const PLATFORM = 'case-file-platform';
const AUTHORITY = 'Landeskriminalamt Musterland, Zentralstelle Internetkriminalität, 12345 Musterstadt';

describe('the order to the platform and the case file', () => {
  let baseUrl = '';
  let stop: () => Promise<void> = async () => undefined;

  const call = async (method: string, path: string, body?: unknown, accept = 'application/json') => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json', accept },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, headers: response.headers, bytes, body: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined };
  };
  const act = async (id: string, action: string, body: unknown = {}) => {
    const response = await call('POST', `/api/reports/${id}/${action}`, body);
    if (response.status !== 200) throw new Error(`${action} on ${id}: ${response.status} ${response.bytes.toString()}`);
    return response.body;
  };

  beforeAll(async () => {
    const engine = await startInProcessEngine({
      authTokens: `${STAFF}=staff:analyst.meyer`,
      workerEnv: { ISSUING_AUTHORITY: AUTHORITY },
      http: DEFAULT_HTTP_DEFENCE,
      platforms: [PLATFORM],
    });
    baseUrl = engine.baseUrl;
    stop = engine.stop;
  }, 90_000);
  afterAll(() => stop(), 30_000);

  it('sends the order with its legal basis and authority, records the effect given, and files the case for each recipient', async () => {
    const filed = await call('POST', '/api/reports', {
      platform: PLATFORM,
      channel: 'state-police',
      contentLocations: [{ url: 'https://t.me/beispielkanal/4711', channel: 'beispielkanal', messageIds: ['4711'] }],
      excerpt: 'Drohung gegen eine Bürgermeisterin: „Wir wissen, wo Sie wohnen“',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: new Date(Date.now() - 3_600_000).toISOString(),
      reporterReference: 'LKA-MU-2026-0815',
    });
    expect(filed.status).toBe(201);
    const id = filed.body.report.reportId as string;
    await act(id, 'triage', { decision: 'actionable', category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true } });
    await act(id, 'deletion-request');
    await act(id, 'notes', { text: 'Geschädigte wünscht Rückruf' });

    // The worker wrote the order: its subject names Art. 9 DSA and § 241 StGB.
    const sent = await eventually(async () => {
      const messages = await call('GET', `/api/reports/${id}/messages`);
      return messages.body?.messages?.find((message: { kind: string }) => message.kind === 'deletion-request');
    }, 30_000, 'the deletion request sent');
    expect(sent.subject).toContain('Art. 9 DSA');
    expect(sent.subject).toContain('§ 241 StGB (Bedrohung)');

    // After the request was sent, before it is recorded: what the decider accepts.
    const receivedAt = new Date().toISOString();
    const answered = await act(id, 'platform-response', { clock: 'deletion', response: 'removed', receivedAt, effectGivenAt: receivedAt });
    expect(answered.clocks.deletion.response).toMatchObject({ kind: 'removed', receivedAt, effectGivenAt: receivedAt });

    const forProsecution = await call('GET', `/api/reports/${id}/case-file?recipient=prosecution`);
    expect(forProsecution.status).toBe(200);
    expect(forProsecution.body).toMatchObject({
      reportId: id,
      recipient: 'prosecution',
      report: { reporterReference: 'LKA-MU-2026-0815', excerpt: 'Drohung gegen eine Bürgermeisterin: „Wir wissen, wo Sie wohnen“' },
      triage: { category: 'threat', legalProvision: '§ 241 StGB (Bedrohung)', severity: 'critical' },
      requests: [{ request: 'deletion', answer: { response: 'removed', receivedAt, effectGivenAt: receivedAt } }],
      notes: [{ text: 'Geschädigte wünscht Rückruf', author: 'analyst.meyer' }],
      integrity: { verified: true },
    });
    expect(forProsecution.body.messages).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'deletion-request', subject: sent.subject })]));
    expect(forProsecution.body.timeline.map((entry: { type: string }) => entry.type)).toEqual(
      expect.arrayContaining(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'NoteAdded', 'PlatformResponseRecorded']),
    );

    const forAppStores = await call('GET', `/api/reports/${id}/case-file?recipient=app-store`);
    expect(forAppStores.status).toBe(200);
    expect(forAppStores.bytes.toString('utf8')).not.toMatch(/LKA-MU-2026-0815|Geschädigte|analyst\.meyer/);
    expect(forAppStores.body.withheld.length).toBeGreaterThan(0);

    const pdf = await call('GET', `/api/reports/${id}/case-file?recipient=prosecution`, undefined, 'application/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="case-file-${id}-prosecution.pdf"`);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);
});
