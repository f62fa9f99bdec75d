// The words of what the engine writes to a platform: one subject and body per kind of message.

import type { OutboundMessage, Recipient } from '@engine/platform-gateway';
import type { PlatformMessage } from '../../../../workflows/report-lifecycle.activities';

const REQUEST = { deletion: 'deletion request', 'subscriber-data': 'subscriber-data request' } as const;

export function composePlatformMessage(message: PlatformMessage): OutboundMessage {
  const { report, deadline } = message;
  const request = REQUEST[message.clock];
  const recipient: Recipient = message.kind === 'high-level-contact' ? 'high-level-contact' : 'standard-contact';
  const where = report.contentLocations
    .map((location) => [location.url, location.channel && `channel ${location.channel}`, location.messageIds?.length && `messages ${location.messageIds.join(', ')}`].filter(Boolean).join(' — '))
    .map((line) => `  - ${line}`)
    .join('\n');
  const opening = {
    'deletion-request': `We ask you to remove the following content, which is unlawful under German law.`,
    'subscriber-data-request': `We ask you to provide the subscriber data of the account behind the following content.`,
    reminder: `We have not received your answer to our ${request} and remind you of it.`,
    'high-level-contact': `Your designated contact has not answered our ${request} in time. We therefore turn to you as the high-level contact your company has named.`,
    'removal-still-online': `You reported the following content as removed, but it is still online. We ask you again to remove it.`,
  }[message.kind];
  const subject = {
    'deletion-request': `Deletion request ${report.reportId}`,
    'subscriber-data-request': `Subscriber-data request ${report.reportId}`,
    reminder: `Reminder: ${request} ${report.reportId}`,
    'high-level-contact': `Escalation: ${request} ${report.reportId}`,
    'removal-still-online': `Content still online: ${report.reportId}`,
  }[message.kind];
  const body = [
    opening,
    '',
    `Report: ${report.reportId} (your reference for any answer)`,
    `Content:\n${where}`,
    `Excerpt: ${report.excerpt}`,
    `Evidence hash: ${report.evidenceHash}`,
    '',
    `Please answer by ${deadline}.`,
  ].join('\n');
  return {
    messageId: message.messageId,
    platform: report.platform,
    recipient,
    reportId: report.reportId,
    subject,
    body,
    payload: { kind: message.kind, reportId: report.reportId, request: message.clock, step: message.step, deadline, contentLocations: report.contentLocations },
  };
}
