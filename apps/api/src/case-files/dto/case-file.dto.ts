// What `GET /api/reports/:id/case-file` answers as JSON: the domain's case file (see buildCaseFile), documented.

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CASE_FILE_RECIPIENTS, CLOCK_KINDS, type CaseFileRecipient, LADDER_STEPS, OFFENCE_CATEGORIES, SEVERITIES } from '@engine/domain';

export const CASE_FILE_FORMATS = ['json', 'pdf'] as const;

export class CaseFileQuery {
  @ApiProperty({ enum: CASE_FILE_RECIPIENTS, description: 'prosecution: everything; app-store: only what the app stores may see (no notes, reporter reference, assignee, actors, staff reasons).' })
  @IsIn(CASE_FILE_RECIPIENTS, { message: `recipient must be one of ${CASE_FILE_RECIPIENTS.join(', ')}` })
  recipient!: CaseFileRecipient;

  @ApiPropertyOptional({ enum: CASE_FILE_FORMATS, description: 'pdf: the same file as a PDF (as with Accept: application/pdf); default json.' })
  @IsOptional()
  @IsIn(CASE_FILE_FORMATS, { message: `format must be one of ${CASE_FILE_FORMATS.join(', ')}` })
  format?: (typeof CASE_FILE_FORMATS)[number];
}

class CaseFileLocationDto {
  @ApiPropertyOptional() url?: string;
  @ApiPropertyOptional() channel?: string;
  @ApiPropertyOptional({ type: [String] }) messageIds?: string[];
}

class CaseFileReportDto {
  @ApiProperty() platform!: string;
  @ApiProperty({ type: [CaseFileLocationDto] }) contentLocations!: CaseFileLocationDto[];
  @ApiProperty() excerpt!: string;
  @ApiProperty({ example: 'sha256:9f86d0…' }) evidenceHash!: string;
  @ApiProperty({ format: 'date-time' }) seenAt!: string;
  @ApiProperty({ format: 'date-time' }) filedAt!: string;
  @ApiPropertyOptional({ description: 'Prosecution only.' }) channel?: string;
  @ApiPropertyOptional({ description: 'Prosecution only.' }) reporterReference?: string;
}

class CaseFileActionsDto {
  @ApiProperty() deletionRequest!: boolean;
  @ApiProperty() subscriberDataRequest!: boolean;
  @ApiProperty() referToProsecution!: boolean;
}

class CaseFileTriageDto {
  @ApiProperty({ enum: OFFENCE_CATEGORIES }) category!: string;
  @ApiProperty({ description: "The offence's section of the StGB.", example: '§ 241 StGB (Bedrohung)' }) legalProvision!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ format: 'date-time' }) triagedAt!: string;
  @ApiPropertyOptional({ type: CaseFileActionsDto, description: 'Prosecution only.' }) actions?: CaseFileActionsDto;
}

class CaseFileEscalationDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: LADDER_STEPS }) from!: string;
  @ApiProperty({ enum: LADDER_STEPS }) to!: string;
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiPropertyOptional({ enum: ['deadline', 'staff'], description: 'Prosecution only.' }) trigger?: string;
  @ApiPropertyOptional({ description: "Prosecution only: the staff's reason for escalating by hand." }) reason?: string;
}

class CaseFileAnswerDto {
  @ApiProperty() response!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ enum: LADDER_STEPS }) atStep!: string;
  @ApiPropertyOptional({ format: 'date-time', description: "When the platform's answer arrived, if recorded." }) receivedAt?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the platform says it gave effect, if it said so.' }) effectGivenAt?: string;
}

class CaseFileRemovalCheckDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['gone', 'still-online'] }) result!: string;
}

class CaseFileRequestDto {
  @ApiProperty({ enum: CLOCK_KINDS }) request!: string;
  @ApiProperty({ format: 'date-time' }) sentAt!: string;
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiProperty({ type: [CaseFileEscalationDto] }) escalations!: CaseFileEscalationDto[];
  @ApiPropertyOptional({ type: CaseFileAnswerDto }) answer?: CaseFileAnswerDto;
  @ApiProperty({ type: [CaseFileRemovalCheckDto] }) removalChecks!: CaseFileRemovalCheckDto[];
}

class CaseFileClosureDto {
  @ApiProperty() outcome!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ description: 'Prosecution only.' }) note?: string;
}

class CaseFileNoteDto {
  @ApiProperty() text!: string;
  @ApiProperty() author!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

class CaseFileTimelineEntryDto {
  @ApiPropertyOptional({ description: 'Prosecution only.' }) streamVersion?: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() type!: string;
  @ApiPropertyOptional({ description: 'Prosecution only.' }) actor?: string;
  @ApiPropertyOptional({ description: 'Prosecution only: the event in words.' }) summary?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'App stores only: the fields of the event they may see.' }) data?: Record<string, unknown>;
}

class CaseFileMessageDto {
  @ApiProperty({ type: String, nullable: true }) kind!: string | null;
  @ApiProperty() recipient!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) firstAttemptAt!: string;
  @ApiProperty({ format: 'date-time' }) lastAttemptAt!: string;
  @ApiPropertyOptional({ description: 'Prosecution only.' }) channel?: string;
}

class CaseFileIntegrityDto {
  @ApiProperty({ description: "Whether the stream's hash chain verifies." }) verified!: boolean;
  @ApiProperty({ description: 'Stored events checked.' }) events!: number;
  @ApiPropertyOptional() brokenAtVersion?: number;
  @ApiPropertyOptional() reason?: string;
}

export class CaseFileDto {
  @ApiProperty() reportId!: string;
  @ApiProperty({ enum: CASE_FILE_RECIPIENTS }) recipient!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty() status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: CaseFileReportDto }) report!: CaseFileReportDto;
  @ApiPropertyOptional({ type: CaseFileTriageDto }) triage?: CaseFileTriageDto;
  @ApiProperty({ type: [CaseFileRequestDto] }) requests!: CaseFileRequestDto[];
  @ApiPropertyOptional({ type: CaseFileClosureDto }) closure?: CaseFileClosureDto;
  @ApiPropertyOptional({ type: [CaseFileNoteDto], description: 'Prosecution only.' }) notes?: CaseFileNoteDto[];
  @ApiPropertyOptional({ description: 'Prosecution only.' }) assignee?: string;
  @ApiProperty({ type: [CaseFileTimelineEntryDto] }) timeline!: CaseFileTimelineEntryDto[];
  @ApiProperty({ type: [CaseFileMessageDto] }) messages!: CaseFileMessageDto[];
  @ApiProperty({ type: CaseFileIntegrityDto }) integrity!: CaseFileIntegrityDto;
  @ApiProperty({ type: [String], description: 'What this recipient\'s file leaves out, in words (empty for the prosecution).' }) withheld!: string[];
}
