// The one place where the reports feature turns domain and read-model shapes into the public response DTOs.

import { CLOCK_KINDS, describeReportEvent, LADDER_STEPS, nextDeadline, overdueSince } from '@engine/domain';
import type { FiledReportState, ReplayedReport, ReplayPoint, ReportState, RequestClock, TimelineEventInput } from '@engine/domain';
import type { SentMessageSummary } from '@engine/platform-gateway';
import type { ReportSummary, TimelineEntry } from '@engine/read-model';
import { FiledReportStatus, LadderStepDto, ReportDetailDto, RequestClockDto, RequestClocksDto } from './dto/report-detail.dto';
import { ReportEventStreamDto } from './dto/report-events.dto';
import { ReportStateAtDto } from './dto/report-state-at.dto';
import { ReportListDto, ReportSummaryDto } from './dto/report-list.dto';
import { ReportMessagesDto } from './dto/report-messages.dto';
import { ReportTimelineDto } from './dto/report-timeline.dto';
import type { ReportEventStream } from './reports.service';

/** Thrown for a state no route should ever answer (a report that was never filed is a 404 before this). */
function assertFiled(state: ReportState): asserts state is FiledReportState {
  if (state.status === 'not-filed') throw new Error('a report that was never filed has no public detail');
}

function ladderOf(state: FiledReportState, clock: RequestClock): LadderStepDto[] {
  const severity = state.assessment?.severity;
  if (!severity) return [];
  const rules = state.policy.rules[severity][clock.kind];
  const current = LADDER_STEPS.indexOf(clock.step);
  return LADDER_STEPS.map((step, index) => ({
    step,
    duration: rules[step].duration,
    basis: rules[step].basis,
    progress: index < current ? 'passed' : index === current ? 'current' : 'ahead',
  }));
}

function toClock(state: FiledReportState, clock: RequestClock): RequestClockDto {
  const dto: RequestClockDto = {
    kind: clock.kind,
    status: clock.status,
    requestedAt: clock.requestedAt,
    step: clock.step,
    stepStartedAt: clock.stepStartedAt,
    deadline: clock.deadline,
    paused: state.status === 'paused' && clock.status === 'running',
    escalated: clock.escalated,
    ladder: ladderOf(state, clock),
  };
  if (clock.response) dto.response = { ...clock.response };
  if (clock.removal) dto.removal = clock.removal;
  return dto;
}

/** A case as the back office reads it: the policy by version, each clock with its ladder. */
export function toReportDetail(state: ReportState): ReportDetailDto {
  assertFiled(state);
  const clocks: RequestClocksDto = {};
  for (const clock of Object.values(state.clocks)) clocks[clock.kind] = toClock(state, clock);
  const soonest = nextDeadline(state);
  const { platform, version, holidayState } = state.policy;
  const detail: ReportDetailDto = {
    status: state.status satisfies FiledReportStatus,
    version: state.version,
    report: { ...state.report, contentLocations: state.report.contentLocations.map((location) => ({ ...location })) },
    policy: holidayState === undefined ? { platform, version } : { platform, version, holidayState },
    clocks,
    nextDeadline: soonest === undefined ? null : new Date(soonest).toISOString(),
    overdueSince: overdueSince(state) ?? null,
    notes: state.notes.map((note) => ({ ...note })),
  };
  if (state.assessment) detail.assessment = { ...state.assessment, actions: { ...state.assessment.actions } };
  if (state.assignee !== undefined) detail.assignee = state.assignee;
  if (state.duplicateOf !== undefined) detail.duplicateOf = state.duplicateOf;
  if (state.status === 'paused') detail.pause = { ...state.pause };
  if (state.status === 'closed') detail.closure = { ...state.closure };
  return detail;
}

/** A case replayed to a point of its history: the detail as it was then, and the point. */
export function toReportStateAt(replayed: ReplayedReport, point: ReplayPoint): ReportStateAtDto {
  return {
    ...toReportDetail(replayed.state),
    asOf: {
      version: replayed.version,
      occurredAt: replayed.occurredAt,
      ...('at' in point && { requestedAt: new Date(point.at).toISOString() }),
      latestVersion: replayed.latestVersion,
    },
  };
}

/** A list row: the read model's summary, and of the case's state only where each request stands. */
export function toReportSummary(summary: ReportSummary): ReportSummaryDto {
  const clocks = summary.state.status === 'not-filed' ? {} : summary.state.clocks;
  return {
    reportId: summary.reportId,
    platform: summary.platform,
    status: summary.status as FiledReportStatus,
    severity: summary.severity as ReportSummaryDto['severity'],
    category: summary.category as ReportSummaryDto['category'],
    assignee: summary.assignee,
    filedAt: summary.filedAt,
    nextDeadline: summary.nextDeadline,
    overdueSince: summary.overdueSince,
    policyVersion: summary.policyVersion,
    version: summary.version,
    requests: CLOCK_KINDS.flatMap((kind) => {
      const clock = clocks[kind];
      return clock ? [{ kind, status: clock.status, step: clock.step, deadline: clock.deadline }] : [];
    }),
  };
}

export function toReportList(list: { items: ReportSummary[]; total: number }): ReportListDto {
  return { items: list.items.map(toReportSummary), total: list.total };
}

export function toEventStream(stream: ReportEventStream): ReportEventStreamDto {
  return {
    reportId: stream.reportId,
    events: stream.events.map((event) => ({ ...event, data: event.data as Record<string, unknown> })),
    integrity: { ...stream.integrity },
  };
}

/** The read model's timeline, each line worded by the domain (the read model keeps the event's type and data). */
export function toTimeline(reportId: string, entries: TimelineEntry[]): ReportTimelineDto {
  return {
    reportId,
    entries: entries.map((entry) => ({
      streamVersion: entry.streamVersion,
      eventId: entry.eventId,
      type: entry.type,
      summary: describeReportEvent({ type: entry.type, data: entry.data } as TimelineEventInput),
      actor: entry.actor,
      occurredAt: entry.occurredAt,
      recordedAt: entry.recordedAt,
    })),
  };
}

/** The sent-messages log's lines for a case, without the platform and report the route already names. */
export function toReportMessages(reportId: string, messages: SentMessageSummary[]): ReportMessagesDto {
  return {
    reportId,
    messages: messages.map((message) => ({
      messageId: message.messageId,
      kind: message.kind,
      recipient: message.recipient,
      subject: message.subject,
      channel: message.channel,
      address: message.address,
      attempts: message.attempts,
      status: message.status,
      lastError: message.lastError,
      firstAttemptAt: message.firstAttemptAt,
      lastAttemptAt: message.lastAttemptAt,
    })),
  };
}
