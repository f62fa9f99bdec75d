import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http';
import { KnownPlatformPipe } from '../platforms/known-platform.pipe';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { CountedAction } from '../metrics/action-outcomes';
import { plainData } from '../common/validation';
import { BulkActionDto, BulkActionParams } from './dto/bulk-action.dto';
import { BulkItemFailedDto, BulkItemSucceededDto, BulkResultDto } from './dto/bulk-result.dto';
import { FILE_REPORT_EXAMPLE, FileReportDto } from './dto/file-report.dto';
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
  REPORT_ACTION_ROUTES,
  ReopeningDto,
  ReportActionRoute,
  RetriageDto,
  TriageDto,
} from './dto/report-actions.dto';
import { ReportDetailDto } from './dto/report-detail.dto';
import { ReportEventStreamDto } from './dto/report-events.dto';
import { ReportIdParams } from './dto/report-id.params';
import { ReportListDto } from './dto/report-list.dto';
import { ReportStateAtDto, ReportStateAtQuery } from './dto/report-state-at.dto';
import { ReportMessagesDto } from './dto/report-messages.dto';
import { ReportTimelineDto } from './dto/report-timeline.dto';
import { IF_MATCH_HEADER } from '../common/version-tag';
import { ActionPreconditions, CaseVersionETag } from './action-preconditions';
import { ReportActionsService } from './report-actions.service';
import { toEventStream, toReportDetail, toReportList, toReportMessages, toReportStateAt, toTimeline } from './report-responses';
import { ActionOptions, Actor, ReportsService } from './reports.service';

const DETAIL = { type: ReportDetailDto, description: 'The case: status, version, facts, assessment, each request clock with its ladder.' } as const;
const UNAVAILABLE = 'The engine cannot reach the case now (no worker, workflow not answering); nothing changed.';
const LOCATION = { description: "The case's URL: /api/reports/{id}.", schema: { type: 'string' } };
const TOO_LARGE = 'The body is larger than the limit (BODY_LIMIT).';
const UNSTORABLE = 'The event store cannot keep what this would store; nothing changed.';
const ETAG = { description: 'The case\'s version as a strong entity tag ("7"): send it as If-Match with the next action.', schema: { type: 'string', example: '"7"' } };

/** A back-office action on one report: `POST /api/reports/:id/<route>`, staff only, answering the case as it is now. */
function ReportAction(route: ReportActionRoute, summary: string): MethodDecorator {
  const { body, example } = REPORT_ACTION_ROUTES[route];
  return applyDecorators(
    Post(`:id/${route}`),
    HttpCode(200),
    Authenticated('staff'),
    CountedAction(REPORT_ACTION_ROUTES[route].type),
    ApiOperation({ summary }),
    UseInterceptors(CaseVersionETag),
    ApiHeader({
      name: IF_MATCH_HEADER,
      required: false,
      description: 'The case version the action was decided on, as GET gave it in ETag ("7"); a case that moved on since refuses the action with 412. * or none: any version.',
    }),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description: 'Any 1 to 255 visible ASCII characters: the action is taken once under the key, a repeat answers the same case; the key with another request is refused with 422.',
    }),
    ApiBody({ type: body, examples: { [route]: { value: example } } }),
    ApiOkResponse({ ...DETAIL, headers: { ETag: ETAG } }),
    ApiErrorResponses({
      400: 'The body, the id, If-Match or the Idempotency-Key is invalid; details list each field.',
      404: 'There is no such report.',
      409: "The case does not allow this step now; the domain's reason and code.",
      412: 'If-Match names a version the case has left (someone acted meanwhile): nothing changed; details.currentVersion and the ETag header give the current version.',
      413: TOO_LARGE,
      422: `The Idempotency-Key was used before for another request, or: ${UNSTORABLE}`,
      503: UNAVAILABLE,
    }),
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
  @CountedAction('FileReport')
  @ApiOperation({ summary: 'Files a report. With an Idempotency-Key, a retry answers the report filed the first time.' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Any 1 to 255 visible ASCII characters, unique per report.' })
  @ApiBody({ type: FileReportDto, examples: { 'a message in a channel': { value: FILE_REPORT_EXAMPLE } } })
  @ApiCreatedResponse({ ...DETAIL, description: 'Filed.', headers: { Location: LOCATION } })
  @ApiOkResponse({ ...DETAIL, description: 'Already filed with this Idempotency-Key: the same case.', headers: { Location: LOCATION } })
  @ApiErrorResponses({
    400: 'The body is invalid; details list each field.',
    409: 'A report with this id was already filed.',
    413: TOO_LARGE,
    422: 'The platform is not known (details.code unknown-platform: an admin registers it with POST /api/platforms), the Idempotency-Key was used before with a different body, or the event store cannot keep this report.',
    503: UNAVAILABLE,
  })
  async file(
    @Body(KnownPlatformPipe) body: FileReportDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportDetailDto> {
    const { created, report } = await this.reports.file(plainData(body), actor, idempotencyKey);
    const detail = toReportDetail(report);
    response.status(created ? 201 : 200);
    response.setHeader('Location', `/api/reports/${encodeURIComponent(detail.report.reportId)}`);
    return detail;
  }

  @Get()
  @Authenticated('viewer')
  @ApiOperation({ summary: 'Lists reports from the read model, most urgent first unless sorted otherwise.' })
  @ApiOkResponse({ type: ReportListDto, description: 'One page of cases and how many match in all.' })
  @ApiErrorResponses({ 400: 'A query parameter is invalid; details list each one.', 503: UNAVAILABLE })
  async list(@Query(KnownPlatformPipe) query: ListReportsQuery): Promise<ReportListDto> {
    return toReportList(await this.reports.list(query.toFilter(new Date())));
  }

  // Declared before the `:id/<action>` routes, which would otherwise take "bulk" for a report id.
  @Post('bulk/:action')
  @HttpCode(200)
  @Authenticated('staff')
  @ApiOperation({ summary: 'Runs one action on many reports; each report gets its own result, failures included.' })
  @ApiExtraModels(BulkItemSucceededDto, BulkItemFailedDto)
  @ApiBody({
    type: BulkActionDto,
    examples: { 'assign two cases': { value: { ids: ['R-20260201-3f9a1c07', 'R-20260201-0b1c2d3e'], data: REPORT_ACTION_ROUTES.assignment.example } } },
  })
  @ApiOkResponse({ type: BulkResultDto, description: "Each report's outcome, failures included, in the order of the ids." })
  @ApiErrorResponses({ 400: 'The ids or the data are invalid; nothing was done.', 413: TOO_LARGE })
  async bulk(
    @Param() { action }: BulkActionParams,
    @Body() body: BulkActionDto,
    @CurrentActor() actor: Actor,
  ): Promise<BulkResultDto> {
    return { results: await this.actions.bulk(action, body.ids, body.data, actor) };
  }

  @Get(':id')
  @Authenticated('viewer')
  @UseInterceptors(CaseVersionETag)
  @ApiOperation({ summary: "The report's current state, from its workflow, with its version as ETag." })
  @ApiOkResponse({ ...DETAIL, headers: { ETag: ETAG } })
  @ApiErrorResponses({ 400: 'The id is invalid.', 404: 'There is no such report.', 503: UNAVAILABLE })
  async get(@Param() { id }: ReportIdParams): Promise<ReportDetailDto> {
    return toReportDetail(await this.reports.get(id));
  }

  @Get(':id/state')
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'The case as it was at a version (?atVersion=3) or an instant (?at=2026-02-01T12:00:00Z) of its history, folded from its stored events.',
    description: 'Answers the report detail as it was then (no ETag: it is not the version to act on) and asOf: the version and the time of the last event taken, and the latest version.',
  })
  @ApiOkResponse({ type: ReportStateAtDto, description: 'The case as it was, and the point it was folded to.' })
  @ApiErrorResponses({
    400: 'The id is invalid; atVersion is not a whole number from 1 or at not an ISO 8601 instant; both or neither were given.',
    404: 'There is no such report, or its history has no such point: a version past its end, an instant before it was filed.',
  })
  async stateAt(@Param() { id }: ReportIdParams, @Query() query: ReportStateAtQuery): Promise<ReportStateAtDto> {
    const point = query.toPoint();
    return toReportStateAt(await this.reports.stateAt(id, point), point);
  }

  @Get(':id/events')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'The stored event stream with actor and time, and whether its hash chain verifies.' })
  @ApiOkResponse({ type: ReportEventStreamDto, description: 'The events, oldest first, and the verdict on their hash chain.' })
  @ApiErrorResponses({ 400: 'The id is invalid.', 404: 'There is no such report.' })
  async events(@Param() { id }: ReportIdParams): Promise<ReportEventStreamDto> {
    return toEventStream(await this.reports.events(id));
  }

  @Get(':id/timeline')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The case's history from the read model: what happened, who, when, in words a back office reads." })
  @ApiOkResponse({ type: ReportTimelineDto, description: 'Each event as a line, oldest first.' })
  @ApiErrorResponses({ 400: 'The id is invalid.', 404: 'There is no such report.', 503: UNAVAILABLE })
  async timeline(@Param() { id }: ReportIdParams): Promise<ReportTimelineDto> {
    return toTimeline(id, await this.reports.timeline(id));
  }

  @Get(':id/messages')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'The messages sent to the platform for the case: kind, recipient, channel, attempts, delivered or failing, last error.' })
  @ApiOkResponse({ type: ReportMessagesDto, description: 'Each message once, however many attempts, oldest first.' })
  @ApiErrorResponses({ 400: 'The id is invalid.', 404: 'There is no such report.', 503: UNAVAILABLE })
  async messages(@Param() { id }: ReportIdParams): Promise<ReportMessagesDto> {
    return toReportMessages(id, await this.reports.messages(id));
  }

  @ReportAction('triage', 'Triage: dismiss with a reason, or actionable with category, severity and actions.')
  triage(@Param() { id }: ReportIdParams, @Body() body: TriageDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'TriageReport', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('retriage', "Re-triage: corrects category, severity or actions with a reason; waiting deadlines follow a new severity from their step's start.")
  retriage(@Param() { id }: ReportIdParams, @Body() body: RetriageDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'RetriageReport', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('deletion-request', "Sends the deletion request to the platform's contact; its clock starts.")
  requestDeletion(@Param() { id }: ReportIdParams, @Body() body: NoFieldsDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'RequestDeletion', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('data-request', 'Sends the subscriber-data request; its clock starts.')
  requestSubscriberData(@Param() { id }: ReportIdParams, @Body() body: NoFieldsDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'RequestSubscriberData', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('platform-response', "Records the platform's answer to one request.")
  recordPlatformResponse(
    @Param() { id }: ReportIdParams,
    @Body() body: PlatformResponseDto,
    @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'RecordPlatformResponse', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('removal-verification', 'Records whether claimed-removed content is really gone.')
  verifyRemoval(@Param() { id }: ReportIdParams, @Body() body: RemovalVerificationDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'VerifyRemoval', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('escalation', 'Escalates a request to its next ladder step by hand.')
  escalate(@Param() { id }: ReportIdParams, @Body() body: EscalationDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'Escalate', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('pause', 'Pauses the case and its deadlines.')
  pause(@Param() { id }: ReportIdParams, @Body() body: PauseDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'PauseCase', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('resume', 'Resumes a paused case; deadlines move by the time paused.')
  resume(@Param() { id }: ReportIdParams, @Body() body: NoFieldsDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'ResumeCase', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('assignment', 'Assigns the case to a user.')
  assign(@Param() { id }: ReportIdParams, @Body() body: AssignmentDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'AssignCase', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('notes', 'Adds a note to the case.')
  addNote(@Param() { id }: ReportIdParams, @Body() body: NoteDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'AddNote', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('closure', 'Closes the case with an outcome.')
  close(@Param() { id }: ReportIdParams, @Body() body: ClosureDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'CloseCase', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('reopening', 'Reopens a closed case.')
  reopen(@Param() { id }: ReportIdParams, @Body() body: ReopeningDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'ReopenCase', body, actor, preconditions).then(toReportDetail);
  }

  @ReportAction('duplicate', 'Closes the case as a duplicate of another report.')
  markDuplicate(@Param() { id }: ReportIdParams, @Body() body: DuplicateDto, @CurrentActor() actor: Actor, @ActionPreconditions() preconditions: ActionOptions): Promise<ReportDetailDto> {
    return this.actions.act(id, 'MarkDuplicate', body, actor, preconditions).then(toReportDetail);
  }
}
