// How a message leaves the engine: by e-mail (SMTP) or as a signed JSON webhook over HTTPS.

import { createHmac } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';
import { OutboundMessage } from './platform-gateway';

export interface EmailChannel {
  send(message: OutboundMessage, to: string): Promise<void>;
}

export interface WebhookChannel {
  send(message: OutboundMessage, url: string, secret?: string): Promise<void>;
}

/** SMTP through nodemailer; `smtpUrl` like `smtp://user:pass@mail.example:587`. */
export class SmtpEmailChannel implements EmailChannel {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(message: OutboundMessage, to: string): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: message.subject,
      text: message.body,
      messageId: `<${message.messageId.replace(/[^A-Za-z0-9.:_-]/g, '_')}@report-escalation-engine>`,
      headers: { 'X-Report-Id': message.reportId ?? '' },
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** POSTs the payload as JSON; any answer but 2xx is a failure (and so retried). */
export class HttpWebhookChannel implements WebhookChannel {
  constructor(private readonly timeoutMs = 10_000) {}

  async send(message: OutboundMessage, url: string, secret?: string): Promise<void> {
    const body = JSON.stringify({ messageId: message.messageId, platform: message.platform, recipient: message.recipient, reportId: message.reportId, subject: message.subject, body: message.body, payload: message.payload });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': message.messageId };
    if (secret) headers['x-signature-sha256'] = createHmac('sha256', secret).update(body).digest('hex');
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new Error(`webhook ${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    }
  }
}
