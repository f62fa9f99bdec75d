// Consumer-group membership and rebalancing (the classic JoinGroup/SyncGroup protocol) on a single broker.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/api';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  /** Filled for the leader only: every member with its metadata for the chosen protocol. */
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: GroupProtocol[];
  assignment: Buffer;
  pendingJoin: ((result: JoinResult) => void) | null;
  pendingSync: ((result: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

export interface GroupCoordinatorOptions {
  /** Kafka's group.initial.rebalance.delay.ms: how long a new group waits for more members to join. */
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

class ConsumerGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  rebalanceTimer: NodeJS.Timeout | null = null;
  /** When the join phase must end at the latest (rebalance timeout), for the initial-delay extension. */
  rebalanceDeadline = 0;
  /** True while a fresh group waits out the initial rebalance delay. */
  inInitialDelay = false;
  /** Member ids handed out with MEMBER_ID_REQUIRED (KIP-394), each expiring after its session timeout. */
  readonly pendingMemberIds = new Map<string, NodeJS.Timeout>();

  constructor(readonly groupId: string) {}
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();

  constructor(private readonly options: GroupCoordinatorOptions) {}

  join(request: {
    groupId: string;
    memberId: string;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocolType: string;
    protocols: GroupProtocol[];
    /** JoinGroup v4+ (KIP-394): a member without an id is first given one and must join again with it. */
    requireKnownMemberId?: boolean;
  }): Promise<JoinResult> {
    const fail = (errorCode: number): Promise<JoinResult> =>
      Promise.resolve({ errorCode, generationId: -1, protocolName: '', leaderId: '', memberId: request.memberId, members: [] });
    if (!request.groupId) return fail(ErrorCode.INVALID_GROUP_ID);
    if (request.sessionTimeoutMs < this.options.minSessionTimeoutMs || request.sessionTimeoutMs > this.options.maxSessionTimeoutMs) {
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    if (request.protocols.length === 0) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    // Timers take at most 2^31-1 ms; a nonsensical rebalance timeout is bounded rather than trusted.
    request.rebalanceTimeoutMs = Math.min(Math.max(request.rebalanceTimeoutMs, 0), this.options.maxSessionTimeoutMs);
    let group = this.groups.get(request.groupId);
    if (!group) {
      group = new ConsumerGroup(request.groupId);
      this.groups.set(request.groupId, group);
    }
    const pending = group.pendingMemberIds.get(request.memberId);
    if (request.memberId && !group.members.has(request.memberId) && !pending) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.members.size > 0 && !this.protocolsFit(group, request.protocolType, request.protocols, request.memberId)) {
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (!request.memberId && request.requireKnownMemberId) {
      const given = `${request.clientId}-${randomUUID()}`;
      const pendingGroup = group;
      const expiry = setTimeout(() => pendingGroup.pendingMemberIds.delete(given), request.sessionTimeoutMs);
      expiry.unref();
      group.pendingMemberIds.set(given, expiry);
      return Promise.resolve({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, protocolName: '', leaderId: '', memberId: given, members: [] });
    }
    if (pending) {
      clearTimeout(pending);
      group.pendingMemberIds.delete(request.memberId);
    }
    const memberId = request.memberId || `${request.clientId}-${randomUUID()}`;
    const existing = group.members.get(memberId);
    if (existing?.pendingJoin) {
      // A member retrying its join replaces the earlier request, which gets an error answer.
      existing.pendingJoin({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] });
    }
    const member: Member = existing ?? {
      memberId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
      assignment: EMPTY,
      pendingJoin: null,
      pendingSync: null,
      sessionTimer: null,
    };
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.protocols = request.protocols;
    group.protocolType = request.protocolType;
    group.members.set(memberId, member);
    this.stopSessionTimer(member);

    return new Promise<JoinResult>((resolve) => {
      member.pendingJoin = resolve;
      const g = group as ConsumerGroup;
      if (g.state === 'PreparingRebalance') {
        this.extendInitialDelay(g);
        this.completeJoinIfAllJoined(g);
      } else {
        this.prepareRebalance(g);
      }
    });
  }

  private protocolsFit(group: ConsumerGroup, protocolType: string, protocols: GroupProtocol[], memberId: string): boolean {
    if (group.protocolType !== null && group.protocolType !== protocolType) return false;
    const others = [...group.members.values()].filter((m) => m.memberId !== memberId);
    return protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  private prepareRebalance(group: ConsumerGroup): void {
    const wasEmpty = group.state === 'Empty' || group.generationId === 0;
    group.state = 'PreparingRebalance';
    for (const member of group.members.values()) {
      if (member.pendingSync) {
        member.pendingSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        member.pendingSync = null;
      }
    }
    const rebalanceTimeout = Math.max(...[...group.members.values()].map((m) => m.rebalanceTimeoutMs), 0);
    group.rebalanceDeadline = Date.now() + rebalanceTimeout;
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    if (wasEmpty && this.options.initialRebalanceDelayMs > 0) {
      // A fresh group waits a little so members starting together land in one generation.
      group.rebalanceTimer = setTimeout(() => this.completeJoin(group), Math.min(this.options.initialRebalanceDelayMs, rebalanceTimeout));
      group.rebalanceTimer.unref();
      group.inInitialDelay = true;
      return;
    }
    group.inInitialDelay = false;
    group.rebalanceTimer = setTimeout(() => this.completeJoin(group), rebalanceTimeout);
    group.rebalanceTimer.unref();
    this.completeJoinIfAllJoined(group);
  }

  private extendInitialDelay(group: ConsumerGroup): void {
    if (!group.inInitialDelay || !group.rebalanceTimer) return;
    clearTimeout(group.rebalanceTimer);
    const delay = Math.max(0, Math.min(this.options.initialRebalanceDelayMs, group.rebalanceDeadline - Date.now()));
    group.rebalanceTimer = setTimeout(() => this.completeJoin(group), delay);
    group.rebalanceTimer.unref();
  }

  private completeJoinIfAllJoined(group: ConsumerGroup): void {
    if (group.inInitialDelay) return;
    if ([...group.members.values()].every((m) => m.pendingJoin)) this.completeJoin(group);
  }

  private completeJoin(group: ConsumerGroup): void {
    if (group.state !== 'PreparingRebalance') return;
    group.inInitialDelay = false;
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = null;
    // Members that did not rejoin within the rebalance timeout are out.
    for (const member of [...group.members.values()]) {
      if (!member.pendingJoin) this.dropMember(group, member);
    }
    group.generationId++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.leaderId = null;
      group.protocolName = null;
      return;
    }
    const members = [...group.members.values()];
    const protocolName =
      members[0].protocols.find((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)))?.name ?? members[0].protocols[0].name;
    group.protocolName = protocolName;
    if (!group.leaderId || !group.members.has(group.leaderId)) group.leaderId = members[0].memberId;
    group.state = 'CompletingRebalance';
    for (const member of members) {
      const resolve = member.pendingJoin as (result: JoinResult) => void;
      member.pendingJoin = null;
      member.assignment = EMPTY;
      this.startSessionTimer(group, member);
      resolve({
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolName,
        leaderId: group.leaderId,
        memberId: member.memberId,
        members:
          member.memberId === group.leaderId
            ? members.map((m) => ({ memberId: m.memberId, metadata: metadataFor(m, protocolName) }))
            : [],
      });
    }
  }

  sync(request: { groupId: string; generationId: number; memberId: string; assignments: { memberId: string; assignment: Buffer }[] }): Promise<SyncResult> {
    const group = this.groups.get(request.groupId);
    const member = group?.members.get(request.memberId);
    if (!group || !member) return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (request.generationId !== group.generationId) return Promise.resolve({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY });
    if (group.state === 'PreparingRebalance') return Promise.resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
    this.startSessionTimer(group, member);
    if (group.state === 'Stable') return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
    return new Promise<SyncResult>((resolve) => {
      member.pendingSync = resolve;
      if (request.memberId !== group.leaderId) return;
      const assigned = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
      group.state = 'Stable';
      for (const m of group.members.values()) {
        m.assignment = Buffer.from(assigned.get(m.memberId) ?? EMPTY);
        if (m.pendingSync) {
          m.pendingSync({ errorCode: ErrorCode.NONE, assignment: m.assignment });
          m.pendingSync = null;
        }
      }
    });
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.state === 'PreparingRebalance') {
      this.startSessionTimer(group, member);
      return ErrorCode.REBALANCE_IN_PROGRESS;
    }
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.startSessionTimer(group, member);
    return ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMemberAndRebalance(group, member);
    return ErrorCode.NONE;
  }

  private removeMemberAndRebalance(group: ConsumerGroup, member: Member): void {
    this.dropMember(group, member);
    if (group.members.size === 0) {
      if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
      group.rebalanceTimer = null;
      group.state = 'Empty';
      group.leaderId = null;
      group.protocolName = null;
      group.generationId++;
    } else if (group.state === 'PreparingRebalance') {
      this.completeJoinIfAllJoined(group);
    } else {
      this.prepareRebalance(group);
    }
  }

  private dropMember(group: ConsumerGroup, member: Member): void {
    this.stopSessionTimer(member);
    group.members.delete(member.memberId);
    const error = { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leaderId: '', memberId: member.memberId, members: [] };
    member.pendingJoin?.(error);
    member.pendingJoin = null;
    member.pendingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    member.pendingSync = null;
  }

  private startSessionTimer(group: ConsumerGroup, member: Member): void {
    this.stopSessionTimer(member);
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = null;
      // A member that neither heartbeats nor leaves (its process died) is evicted after its session timeout.
      if (group.members.get(member.memberId) === member) this.removeMemberAndRebalance(group, member);
    }, member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private stopSessionTimer(member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
  }

  /** Whether an OffsetCommit from this member/generation may be stored (Kafka's rules, simplified to one broker). */
  validateCommit(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    if (generationId < 0 && !memberId) {
      return group && group.members.size > 0 ? ErrorCode.UNKNOWN_MEMBER_ID : ErrorCode.NONE;
    }
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    this.startSessionTimer(group, member);
    return ErrorCode.NONE;
  }

  describe(groupId: string): {
    state: GroupState;
    protocolType: string;
    protocolName: string;
    members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
  } {
    const group = this.groups.get(groupId);
    if (!group) return { state: 'Dead', protocolType: '', protocolName: '', members: [] };
    const protocolName = group.state === 'Stable' || group.state === 'CompletingRebalance' ? (group.protocolName ?? '') : '';
    return {
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolName,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: protocolName ? metadataFor(m, protocolName) : EMPTY,
        assignment: group.state === 'Stable' ? m.assignment : EMPTY,
      })),
    };
  }

  /** Forgets a group that has no members; returns false (and keeps it) while it has members. */
  remove(groupId: string): boolean {
    const group = this.groups.get(groupId);
    if (!group) return true;
    if (group.members.size > 0) return false;
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    this.groups.delete(groupId);
    return true;
  }

  list(): { groupId: string; protocolType: string }[] {
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '' }));
  }

  close(): void {
    for (const group of this.groups.values()) {
      if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
      for (const expiry of group.pendingMemberIds.values()) clearTimeout(expiry);
      for (const member of group.members.values()) this.stopSessionTimer(member);
    }
  }
}

function metadataFor(member: Member, protocolName: string): Buffer {
  return member.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
}
