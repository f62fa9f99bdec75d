// The body of `POST /api/reports`, mirroring the domain's FileReport command (without the policy, which the
// service adds).

import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { REPORTING_CHANNELS, ReportingChannel } from '@engine/domain';
import {
  EnumProperty,
  InstantProperty,
  NestedProperty,
  PlatformProperty,
  ReportIdProperty,
  TextProperty,
  ValidatedBy,
} from '../../common/validation';

export class ContentLocationDto {
  @ApiProperty({ required: false, type: String, format: 'uri', maxLength: 2048 })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @MaxLength(2048)
  url?: string;

  @TextProperty({ optional: true, maxLength: 500, description: 'A channel or group on the platform.' })
  channel?: string;

  @ApiProperty({ required: false, type: [String], description: 'Message ids within the channel.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'each value in messageIds must not be empty' })
  @MaxLength(200, { each: true })
  messageIds?: string[];
}

const EVIDENCE_HASH = /^[a-z0-9-]{2,20}:[A-Za-z0-9+/=_-]{8,256}$/;

export class FileReportDto {
  @ReportIdProperty({ optional: true, description: 'Chosen by the caller (for example its own reference); generated when absent.' })
  reportId?: string;

  @PlatformProperty()
  platform!: string;

  @EnumProperty(REPORTING_CHANNELS)
  channel!: ReportingChannel;

  @NestedProperty(() => ContentLocationDto, { each: true, minItems: 1, maxItems: 100 })
  @ValidatedBy(
    'locatesContent',
    (value) => Array.isArray(value) && value.every((location: ContentLocationDto) => location?.url !== undefined || location?.channel !== undefined),
    'each content location needs a url or a channel',
  )
  contentLocations!: ContentLocationDto[];

  @TextProperty({ maxLength: 10_000, description: 'The reported text, as preserved.' })
  excerpt!: string;

  @ApiProperty({ type: String, pattern: EVIDENCE_HASH.source, example: 'sha256:9f86d081884c7d659a2feaa0c55ad015' })
  @IsString()
  @Matches(EVIDENCE_HASH, { message: 'evidenceHash must be "<algorithm>:<digest>", for example sha256:9f86d081…' })
  evidenceHash!: string;

  @InstantProperty({ description: 'When the content was seen.' })
  seenAt!: string;

  @TextProperty({ maxLength: 200, description: "The reporter's own reference." })
  reporterReference!: string;
}

/** An example body, published in the OpenAPI document (a spec checks it against the schema). */
export const FILE_REPORT_EXAMPLE = {
  platform: 'telegram',
  channel: 'citizen-portal',
  contentLocations: [{ url: 'https://t.me/example_channel/1234', channel: 'example_channel', messageIds: ['1234'] }],
  excerpt: 'The reported message, as preserved.',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-02-01T09:30:00Z',
  reporterReference: 'portal-2026-000123',
} satisfies Omit<FileReportDto, 'reportId'>;
