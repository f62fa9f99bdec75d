import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http';
import type { ReportState } from '@engine/domain';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import { plainData } from '../common/validation';
import { BulkItemResult } from './bulk';
import { BulkActionDto, BulkActionParams } from './dto/bulk-action.dto';
import { FileReportDto } from './dto/file-report.dto';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from './dto/idempotency-key';
import { ListReportsQuery } from './dto/list-reports.query';
import {
  AssignmentDto,
  ClosureDto,
  DuplicateDto,
  EscalationDto,
  NoFieldsDto,
  NoteDto,
  PauseDto,
  PlatformResponseDto,
  RemovalVerificationDto,
  ReopeningDto,
  ReportActionRoute,
  TriageDto,
} from './dto/report-actions.dto';
import { ReportIdParams } from './dto/report-id.params';
import { ReportActionsService } from './report-actions.service';
import { Actor, ReportEventStream, ReportsService } from './reports.service';

const STATE = { description: "The report's state: status, every clock with its ladder step and deadline.", schema: { type: 'object' } } as const;

/** A back-office action on one report: `POST /api/reports/:id/<route>`, staff only, answering the new state. */
function ReportAction(route: ReportActionRoute, summary: string): MethodDecorator {
  return applyDecorators(
    Post(`:id/${route}`),
    HttpCode(200),
    Authenticated('staff'),
    ApiOperation({ summary }),
    ApiOkResponse(STATE),
    ApiBadRequestResponse({ description: 'The body or the id is invalid; details list each field.' }),
    ApiNotFoundResponse({ description: 'There is no such report.' }),
    ApiConflictResponse({ description: "The case does not allow this step now; the domain's reason and code." }),
  );
}

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly actions: ReportActionsService,
  ) {}

  @Post()
  @Authenticated('staff')
  @ApiOperation({ summary: 'Files a report. With an Idempotency-Key, a retry answers the report filed the first time.' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Any 1 to 255 visible ASCII characters, unique per report.' })
  @ApiCreatedResponse({ description: 'Filed.', schema: { type: 'object' } })
  @ApiOkResponse({ description: 'Already filed with this Idempotency-Key: the same report.', schema: { type: 'object' } })
  @ApiBadRequestResponse({ description: 'The body is invalid; details list each field.' })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used before with a different body.' })
  async file(
    @Body() body: FileReportDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportState> {
    const { created, report } = await this.reports.file(plainData(body), actor, idempotencyKey);
    response.status(created ? 201 : 200);
    if (report.status !== 'not-filed') response.setHeader('Location', `/api/reports/${encodeURIComponent(report.report.reportId)}`);
    return report;
  }

  @Get()
  @Authenticated('viewer')
  @ApiOperation({ summary: 'Lists reports from the read model, soonest deadline first.' })
  @ApiOkResponse({ description: '{ items, total }', schema: { type: 'object' } })
  list(@Query() query: ListReportsQuery): Promise<{ items: unknown[]; total: number }> {
    return this.reports.list(query.toFilter(new Date()));
  }

  // Declared before the `:id/<action>` routes, which would otherwise take "bulk" for a report id.
  @Post('bulk/:action')
  @HttpCode(200)
  @Authenticated('staff')
  @ApiOperation({ summary: 'Runs one action on many reports; each report gets its own result, failures included.' })
  @ApiOkResponse({ description: '{ results: [{ reportId, ok, status } | { reportId, ok: false, httpStatus, error, code?, message }] }' })
  @ApiBadRequestResponse({ description: 'The ids or the data are invalid; nothing was done.' })
  async bulk(
    @Param() { action }: BulkActionParams,
    @Body() body: BulkActionDto,
    @CurrentActor() actor: Actor,
  ): Promise<{ results: BulkItemResult[] }> {
    return { results: await this.actions.bulk(action, body.ids, body.data, actor) };
  }

  @Get(':id')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The report's current state, from its workflow." })
  @ApiOkResponse(STATE)
  @ApiNotFoundResponse({ description: 'There is no such report.' })
  get(@Param() { id }: ReportIdParams): Promise<ReportState> {
    return this.reports.get(id);
  }

  @Get(':id/events')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'The stored event stream with actor and time, and whether its hash chain verifies.' })
  @ApiOkResponse({ description: '{ reportId, events, integrity }', schema: { type: 'object' } })
  @ApiNotFoundResponse({ description: 'There is no such report.' })
  events(@Param() { id }: ReportIdParams): Promise<ReportEventStream> {
    return this.reports.events(id);
  }

  @ReportAction('triage', 'Triage: dismiss with a reason, or actionable with category, severity and actions.')
  triage(@Param() { id }: ReportIdParams, @Body() body: TriageDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'TriageReport', body, actor);
  }

  @ReportAction('deletion-request', "Sends the deletion request to the platform's contact; its clock starts.")
  requestDeletion(@Param() { id }: ReportIdParams, @Body() body: NoFieldsDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'RequestDeletion', body, actor);
  }

  @ReportAction('data-request', 'Sends the subscriber-data request; its clock starts.')
  requestSubscriberData(@Param() { id }: ReportIdParams, @Body() body: NoFieldsDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'RequestSubscriberData', body, actor);
  }

  @ReportAction('platform-response', "Records the platform's answer to one request.")
  recordPlatformResponse(
    @Param() { id }: ReportIdParams,
    @Body() body: PlatformResponseDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReportState> {
    return this.actions.act(id, 'RecordPlatformResponse', body, actor);
  }

  @ReportAction('removal-verification', 'Records whether claimed-removed content is really gone.')
  verifyRemoval(@Param() { id }: ReportIdParams, @Body() body: RemovalVerificationDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'VerifyRemoval', body, actor);
  }

  @ReportAction('escalation', 'Escalates a request to its next ladder step by hand.')
  escalate(@Param() { id }: ReportIdParams, @Body() body: EscalationDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'Escalate', body, actor);
  }

  @ReportAction('pause', 'Pauses the case and its deadlines.')
  pause(@Param() { id }: ReportIdParams, @Body() body: PauseDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'PauseCase', body, actor);
  }

  @ReportAction('resume', 'Resumes a paused case; deadlines move by the time paused.')
  resume(@Param() { id }: ReportIdParams, @Body() body: NoFieldsDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'ResumeCase', body, actor);
  }

  @ReportAction('assignment', 'Assigns the case to a user.')
  assign(@Param() { id }: ReportIdParams, @Body() body: AssignmentDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'AssignCase', body, actor);
  }

  @ReportAction('notes', 'Adds a note to the case.')
  addNote(@Param() { id }: ReportIdParams, @Body() body: NoteDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'AddNote', body, actor);
  }

  @ReportAction('closure', 'Closes the case with an outcome.')
  close(@Param() { id }: ReportIdParams, @Body() body: ClosureDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'CloseCase', body, actor);
  }

  @ReportAction('reopening', 'Reopens a closed case.')
  reopen(@Param() { id }: ReportIdParams, @Body() body: ReopeningDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'ReopenCase', body, actor);
  }

  @ReportAction('duplicate', 'Closes the case as a duplicate of another report.')
  markDuplicate(@Param() { id }: ReportIdParams, @Body() body: DuplicateDto, @CurrentActor() actor: Actor): Promise<ReportState> {
    return this.actions.act(id, 'MarkDuplicate', body, actor);
  }
}
