// The port through which the engine writes to a platform's contacts and to the app stores.

/** Who a message is for: the platform's designated contact, its high-level contact, or an app store. */
export const RECIPIENTS = ['standard-contact', 'high-level-contact', 'apple-app-store', 'google-play'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

export interface OutboundMessage {
  /** Deterministic per message: a retried delivery of the same id is recognised and not sent twice. */
  messageId: string;
  platform: string;
  recipient: Recipient;
  reportId?: string;
  subject: string;
  body: string;
  /** The machine-readable form, sent as JSON to webhooks and kept in the log. */
  payload: Record<string, unknown>;
}

export type DeliveryChannelKind = 'log-only' | 'smtp' | 'webhook';

export interface DeliveryReceipt {
  messageId: string;
  channel: DeliveryChannelKind;
  attempt: number;
  /** `recorded`: kept in the sent-messages log only (no address configured); `delivered`: handed to SMTP/HTTP. */
  status: 'recorded' | 'delivered';
}

export interface PlatformGateway {
  /** Resolves once delivered (or recorded); rejects, after logging the failed attempt, so the caller retries. */
  deliver(message: OutboundMessage): Promise<DeliveryReceipt>;
}

/** Where a platform's recipients are reached. */
export type ContactAddress =
  | { kind: 'email'; to: string }
  | { kind: 'webhook'; url: string; /** Signs the body with HMAC-SHA256 when set. */ secret?: string };

export type PlatformContacts = Partial<Record<Recipient, ContactAddress>>;

/** Contacts per platform, as configured (for example from `PLATFORM_CONTACTS`, a JSON object). */
export type ContactDirectory = Record<string, PlatformContacts>;
