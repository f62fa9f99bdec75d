// What an authenticated user may do, as a Kafka ACL set would grant it. Two levels: `all` (the product's own
// user: a super user) and `read-only` (an outside consumer: READ on every topic and on consumer groups, nothing
// that writes, creates, deletes or alters; groups listed in `deniedGroups` are off limits, like a DENY ACL, so
// that a reader cannot join, kick or move the product's own consumer groups).

export type AccessLevel = 'all' | 'read-only';

export class Access {
  /** A broker without users: everyone may do everything, as on a Kafka PLAINTEXT listener without an authorizer. */
  static readonly EVERYTHING = new Access('all', []);

  private readonly denied: ReadonlySet<string>;

  constructor(
    readonly level: AccessLevel,
    deniedGroups: readonly string[],
  ) {
    this.denied = new Set(deniedGroups);
  }

  /** Produce and InitProducerId (WRITE on topics, IDEMPOTENT_WRITE on the cluster). */
  get mayWrite(): boolean {
    return this.level === 'all';
  }

  /** CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, DeleteGroups, and auto-creation by Metadata. */
  get mayAdminister(): boolean {
    return this.level === 'all';
  }

  /** FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups. */
  mayUseGroup(groupId: string): boolean {
    return this.level === 'all' || !this.denied.has(groupId);
  }
}
