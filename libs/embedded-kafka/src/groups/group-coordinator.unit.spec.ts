import { ErrorCode } from '../protocol/api';
import { GroupCoordinator } from './group-coordinator';

const protocols = [{ name: 'range', metadata: Buffer.from('m') }];
const joinRequest = (memberId = '', overrides: Partial<Parameters<GroupCoordinator['join']>[0]> = {}) => ({
  groupId: 'g',
  memberId,
  clientId: 'c',
  clientHost: 'h',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 5_000,
  protocolType: 'consumer',
  protocols,
  ...overrides,
});

describe('GroupCoordinator', () => {
  let coordinator: GroupCoordinator;
  beforeEach(() => {
    jest.useFakeTimers();
    coordinator = new GroupCoordinator({ initialRebalanceDelayMs: 100, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 60_000 });
  });
  afterEach(() => {
    coordinator.close();
    jest.useRealTimers();
  });

  async function stableSingleMember(): Promise<string> {
    const joined = coordinator.join(joinRequest());
    await jest.advanceTimersByTimeAsync(100);
    const { memberId, generationId } = await joined;
    const synced = await coordinator.sync({ groupId: 'g', generationId, memberId, assignments: [{ memberId, assignment: Buffer.from('all') }] });
    expect(synced).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('all') });
    return memberId;
  }

  it('drops a member that does not rejoin within the rebalance timeout', async () => {
    const first = await stableSingleMember();
    const second = coordinator.join(joinRequest());
    expect(coordinator.heartbeat('g', 1, first)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await jest.advanceTimersByTimeAsync(5_000);
    const result = await second;
    expect(result).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(result.leaderId).toBe(result.memberId);
    expect(coordinator.describe('g').members.map((m) => m.memberId)).toEqual([result.memberId]);
    expect(coordinator.heartbeat('g', 2, first)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers the errors clients rely on', async () => {
    const member = await stableSingleMember();
    expect(coordinator.heartbeat('g', 0, member)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await coordinator.join(joinRequest('stranger'))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await coordinator.join(joinRequest('', { protocolType: 'connect' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await coordinator.join(joinRequest('', { protocols: [{ name: 'other', metadata: Buffer.alloc(0) }] }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect((await coordinator.join(joinRequest('', { sessionTimeoutMs: 10 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(coordinator.validateCommit('g', -1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.validateCommit('g', 1, member)).toBe(ErrorCode.NONE);
    expect(coordinator.leave('g', member)).toBe(ErrorCode.NONE);
    expect(coordinator.describe('g').state).toBe('Empty');
    expect(coordinator.validateCommit('g', -1, '')).toBe(ErrorCode.NONE);
  });

  it('evicts a silent member after its session timeout', async () => {
    await stableSingleMember();
    await jest.advanceTimersByTimeAsync(9_000);
    expect(coordinator.describe('g').members).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_001);
    expect(coordinator.describe('g')).toMatchObject({ state: 'Empty', members: [] });
  });
});
