// What `GET /api/reports/:id/messages` answers: each message the engine sent to the platform for the case, and
// how its delivery went over all attempts (from the platform gateway's sent-messages log).

import { ApiProperty } from '@nestjs/swagger';

export const DELIVERY_CHANNELS = ['log-only', 'smtp', 'webhook'] as const;
export const MESSAGE_DELIVERY_STATUSES = ['delivered', 'recorded', 'failing'] as const;

export class SentMessageDto {
  @ApiProperty({ description: 'Stable per message: retries of one message share it.', example: 'R-20260201-3f9a1c07:4:deletion-request' })
  messageId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What the message was: deletion-request, subscriber-data-request, reminder, high-level-contact, removal-still-online.',
    example: 'deletion-request',
  })
  kind!: string | null;

  @ApiProperty({ description: 'Whom it was for.', example: 'standard-contact' })
  recipient!: string;

  @ApiProperty({ example: 'Deletion request R-20260201-3f9a1c07' })
  subject!: string;

  @ApiProperty({ enum: DELIVERY_CHANNELS, description: 'How the latest attempt went out; log-only: no address configured, kept in the log only.' })
  channel!: (typeof DELIVERY_CHANNELS)[number];

  @ApiProperty({ type: String, nullable: true, description: 'The e-mail address or webhook URL of the latest attempt.' })
  address!: string | null;

  @ApiProperty({ description: 'How many times delivery was tried.', example: 1 })
  attempts!: number;

  @ApiProperty({
    enum: MESSAGE_DELIVERY_STATUSES,
    description: 'delivered: handed to SMTP or the webhook; recorded: kept in the log (no address); failing: no attempt succeeded yet (the engine retries).',
  })
  status!: (typeof MESSAGE_DELIVERY_STATUSES)[number];

  @ApiProperty({ type: String, nullable: true, description: "The latest failed attempt's error, also when a later attempt succeeded.", example: null })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  firstAttemptAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  lastAttemptAt!: string;
}

export class ReportMessagesDto {
  @ApiProperty({ example: 'R-20260201-3f9a1c07' })
  reportId!: string;

  @ApiProperty({ type: () => [SentMessageDto], description: 'Oldest first.' })
  messages!: SentMessageDto[];
}
