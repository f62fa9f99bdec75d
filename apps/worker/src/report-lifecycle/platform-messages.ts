// What the engine writes to a platform: each message rendered as the order the DSA describes (the domain's
// templates, German and English), with its elements as the machine-readable payload.

import { Assessment, IssuingAuthority, PlatformMessage, renderPlatformOrder } from '@engine/domain';
import type { OutboundMessage, Recipient } from '@engine/platform-gateway';

/** Used when `ISSUING_AUTHORITY` is not set: the authority behind the reports this engine was built for. */
export const DEFAULT_ISSUING_AUTHORITY: IssuingAuthority = {
  name: 'Bundeskriminalamt (BKA), Zentrale Meldestelle für strafbare Inhalte im Internet (ZMI BKA), 65173 Wiesbaden, Deutschland',
};

export function composePlatformMessage(message: PlatformMessage, assessment: Assessment, authority: IssuingAuthority): OutboundMessage {
  const { report, deadline } = message;
  const recipient: Recipient = message.kind === 'high-level-contact' ? 'high-level-contact' : 'standard-contact';
  const order = renderPlatformOrder(message, assessment, authority);
  return {
    messageId: message.messageId,
    platform: report.platform,
    recipient,
    reportId: report.reportId,
    subject: order.subject,
    body: order.body,
    payload: { kind: message.kind, reportId: report.reportId, request: message.clock, step: message.step, deadline, contentLocations: report.contentLocations, order: order.elements },
  };
}
