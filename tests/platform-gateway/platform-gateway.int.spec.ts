// The platform gateway against a real database (PGlite), a real HTTP server and a real SMTP server.
import { PGliteDatabase } from '@engine/database';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import {
  HttpWebhookChannel,
  LoggingPlatformGateway,
  OutboundMessage,
  parseContactDirectory,
  SentMessagesLog,
  SmtpEmailChannel,
} from '@engine/platform-gateway';

const message = (overrides: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: 'r-1:4:deletion-request',
  platform: 'telegram',
  recipient: 'standard-contact',
  reportId: 'r-1',
  subject: 'Deletion request r-1',
  body: 'Please remove https://t.me/c/1 by 2026-03-03T09:20:00Z.',
  payload: { reportId: 'r-1', deadline: '2026-03-03T09:20:00.000Z' },
  ...overrides,
});

describe('the platform gateway', () => {
  // One database for the file (PGlite takes a second to start); each test gets a schema of its own.
  const dbReady = PGliteDatabase.open();
  let schemas = 0;
  let log: SentMessagesLog;

  beforeEach(async () => {
    log = new SentMessagesLog(await dbReady, `gateway_${++schemas}`);
    await log.migrate();
    await log.migrate(); // idempotent
  });
  afterAll(async () => (await dbReady).close());

  it('records a message in the sent-messages log when no address is configured (the embedded default)', async () => {
    const gateway = new LoggingPlatformGateway(log, {}, {});
    await expect(gateway.deliver(message())).resolves.toEqual({ messageId: 'r-1:4:deletion-request', channel: 'log-only', attempt: 1, status: 'recorded' });
    const [entry] = await log.list({ reportId: 'r-1' });
    expect(entry).toMatchObject({ status: 'recorded', subject: 'Deletion request r-1', payload: { reportId: 'r-1' }, attempt: 1 });
  });

  it('does not send a message twice when the delivery is retried', async () => {
    const gateway = new LoggingPlatformGateway(log, {}, {});
    await gateway.deliver(message());
    await gateway.deliver(message());
    expect(await log.list()).toHaveLength(1);
  });

  describe('by webhook', () => {
    let server: Server;
    let received: { headers: IncomingMessage['headers']; body: string }[];
    let failuresLeft: number;
    let url: string;

    beforeEach(async () => {
      received = [];
      failuresLeft = 0;
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          if (failuresLeft > 0) {
            failuresLeft--;
            res.writeHead(503).end('maintenance');
            return;
          }
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });
    afterEach(() => new Promise((resolve) => server.close(resolve)));

    it('posts signed JSON with an idempotency key', async () => {
      const gateway = new LoggingPlatformGateway(log, { telegram: { 'standard-contact': { kind: 'webhook', url, secret: 's3cret' } } }, { webhook: new HttpWebhookChannel() });
      await expect(gateway.deliver(message())).resolves.toMatchObject({ channel: 'webhook', status: 'delivered' });
      expect(received).toHaveLength(1);
      const [{ headers, body }] = received;
      expect(headers['idempotency-key']).toBe('r-1:4:deletion-request');
      expect(headers['x-signature-sha256']).toBe(createHmac('sha256', 's3cret').update(body).digest('hex'));
      expect(JSON.parse(body)).toMatchObject({ reportId: 'r-1', payload: { deadline: '2026-03-03T09:20:00.000Z' } });
    });

    it('logs a failed attempt visibly and throws, so the caller retries; the retry is logged as the next attempt', async () => {
      failuresLeft = 1;
      const gateway = new LoggingPlatformGateway(log, { telegram: { 'standard-contact': { kind: 'webhook', url } } }, { webhook: new HttpWebhookChannel() });
      await expect(gateway.deliver(message())).rejects.toThrow(/answered 503: maintenance/);
      await expect(gateway.deliver(message())).resolves.toMatchObject({ attempt: 2, status: 'delivered' });
      const attempts = await log.list();
      expect(attempts.map((a) => [a.attempt, a.status, a.error])).toEqual([
        [2, 'delivered', null],
        [1, 'failed', expect.stringMatching(/503/)],
      ]);
    });

    it("folds a report's attempts into one line per message: kind, channel, attempts, failing or delivered, last error", async () => {
      failuresLeft = 2;
      const gateway = new LoggingPlatformGateway(log, { telegram: { 'standard-contact': { kind: 'webhook', url } } }, { webhook: new HttpWebhookChannel() });
      const request = message({ payload: { kind: 'deletion-request', reportId: 'r-1' } });
      const reminder = message({ messageId: 'r-1:6:reminder', subject: 'Reminder: deletion request r-1', payload: { kind: 'reminder', reportId: 'r-1' } });
      await expect(gateway.deliver(request)).rejects.toThrow(/503/);
      await expect(gateway.deliver(request)).rejects.toThrow(/503/);
      await gateway.deliver(request);
      failuresLeft = 1;
      await expect(gateway.deliver(reminder)).rejects.toThrow(/503/);
      await gateway.deliver(message({ reportId: 'r-other', messageId: 'r-other:4:deletion-request' }));

      const messages = await log.messagesForReport('r-1');
      expect(messages.map((m) => [m.messageId, m.kind, m.channel, m.address, m.attempts, m.status])).toEqual([
        ['r-1:4:deletion-request', 'deletion-request', 'webhook', url, 3, 'delivered'],
        ['r-1:6:reminder', 'reminder', 'webhook', url, 1, 'failing'],
      ]);
      expect(messages[0].lastError).toMatch(/503: maintenance/);
      expect(messages[1].lastError).toMatch(/503: maintenance/);
      expect(Date.parse(messages[0].lastAttemptAt)).toBeGreaterThanOrEqual(Date.parse(messages[0].firstAttemptAt));
      expect(await log.messagesForReport('r-none')).toEqual([]);
    });
  });

  it('sends e-mail over SMTP', async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (chunk) => (data += chunk));
        stream.on('end', () => {
          mails.push(data);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const email = new SmtpEmailChannel(`smtp://127.0.0.1:${port}`, 'taskforce@bka.example');
    try {
      const gateway = new LoggingPlatformGateway(log, { telegram: { 'high-level-contact': { kind: 'email', to: 'ceo@platform.example' } } }, { email });
      await expect(gateway.deliver(message({ recipient: 'high-level-contact', messageId: 'r-1:9:high-level-contact' }))).resolves.toMatchObject({ channel: 'smtp', status: 'delivered' });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/To: ceo@platform\.example/);
      expect(mails[0]).toMatch(/Subject: Deletion request r-1/);
    } finally {
      email.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('refuses a contact directory it cannot use, naming the entry', () => {
    expect(parseContactDirectory(undefined)).toEqual({});
    expect(() => parseContactDirectory('{')).toThrow(/not valid JSON/);
    expect(() => parseContactDirectory('{"telegram":{"ceo":{"kind":"email","to":"a@b"}}}')).toThrow(/PLATFORM_CONTACTS.telegram.ceo: unknown recipient/);
    expect(() => parseContactDirectory('{"telegram":{"standard-contact":{"kind":"webhook","url":"ftp://x"}}}')).toThrow(/must be/);
    expect(() => parseContactDirectory('{"Telegram":{},"telegram":{}}')).toThrow(/names one platform twice \("Telegram" and "telegram"\)/);
  });

  it("finds a platform's contacts whatever the case of its name, as the engine compares platforms", async () => {
    // The address is found: with no SMTP server the attempt fails, instead of being only recorded.
    const gateway = new LoggingPlatformGateway(log, parseContactDirectory('{"Telegram":{"standard-contact":{"kind":"email","to":"legal@telegram.example"}}}'), {});
    await expect(gateway.deliver(message({ platform: 'telegram' }))).rejects.toThrow(/no SMTP server/);
    expect(await log.list({ reportId: 'r-1' })).toMatchObject([{ channel: 'smtp', address: 'legal@telegram.example', status: 'failed' }]);
  });
});
