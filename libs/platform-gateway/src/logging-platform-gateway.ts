// The gateway: routes a message to the recipient's configured address and logs every attempt. Where no
// address is configured (the embedded default) the message is recorded in the log for staff to act on.

import { EmailChannel, WebhookChannel } from './channels';
import { ContactDirectory, DeliveryReceipt, OutboundMessage, PlatformGateway } from './platform-gateway';
import { SentMessagesLog } from './sent-messages-log';

export class LoggingPlatformGateway implements PlatformGateway {
  constructor(
    private readonly log: SentMessagesLog,
    private readonly contacts: ContactDirectory,
    private readonly channels: { email?: EmailChannel; webhook?: WebhookChannel },
  ) {}

  async deliver(message: OutboundMessage): Promise<DeliveryReceipt> {
    const earlier = await this.log.succeeded(message.messageId);
    if (earlier) return earlier;
    const address = contactsOf(this.contacts, message.platform)?.[message.recipient];
    if (!address) {
      const attempt = await this.log.record(message, { channel: 'log-only', status: 'recorded' });
      return { messageId: message.messageId, channel: 'log-only', attempt, status: 'recorded' };
    }
    const channel = address.kind === 'email' ? 'smtp' : 'webhook';
    const target = address.kind === 'email' ? address.to : address.url;
    try {
      if (address.kind === 'email') {
        if (!this.channels.email) throw new Error('no SMTP server is configured (set SMTP_URL)');
        await this.channels.email.send(message, address.to);
      } else {
        if (!this.channels.webhook) throw new Error('webhooks are not enabled');
        await this.channels.webhook.send(message, address.url, address.secret);
      }
    } catch (error) {
      await this.log.record(message, { channel, address: target, status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    const attempt = await this.log.record(message, { channel, address: target, status: 'delivered' });
    return { messageId: message.messageId, channel, attempt, status: 'delivered' };
  }
}

/**
 * A platform's contacts, its name compared regardless of case as the engine compares platforms (`Telegram` in
 * PLATFORM_CONTACTS serves the cases of `telegram`).
 */
function contactsOf(contacts: ContactDirectory, platform: string): ContactDirectory[string] | undefined {
  const key = Object.keys(contacts).find((name) => name === platform) ?? Object.keys(contacts).find((name) => name.toLowerCase() === platform.toLowerCase());
  return key === undefined ? undefined : contacts[key];
}

/** Reads `PLATFORM_CONTACTS` (JSON: platform → recipient → address), refusing what it cannot use. */
export function parseContactDirectory(json: string | undefined): ContactDirectory {
  if (!json || json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('PLATFORM_CONTACTS is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('PLATFORM_CONTACTS must be an object of platforms');
  const byKey = new Map<string, string>();
  for (const platform of Object.keys(parsed)) {
    const other = byKey.get(platform.toLowerCase());
    if (other !== undefined) throw new Error(`PLATFORM_CONTACTS names one platform twice ("${other}" and "${platform}"): platform names are compared regardless of case`);
    byKey.set(platform.toLowerCase(), platform);
  }
  for (const [platform, contacts] of Object.entries(parsed as Record<string, unknown>)) {
    for (const [recipient, address] of Object.entries((contacts ?? {}) as Record<string, { kind?: string; to?: string; url?: string }>)) {
      const where = `PLATFORM_CONTACTS.${platform}.${recipient}`;
      if (!['standard-contact', 'high-level-contact', 'apple-app-store', 'google-play'].includes(recipient)) throw new Error(`${where}: unknown recipient`);
      if (address?.kind === 'email' && typeof address.to === 'string' && address.to.includes('@')) continue;
      if (address?.kind === 'webhook' && typeof address.url === 'string' && /^https?:\/\//.test(address.url)) continue;
      throw new Error(`${where} must be {"kind":"email","to":"…@…"} or {"kind":"webhook","url":"https://…"}`);
    }
  }
  return parsed as ContactDirectory;
}
