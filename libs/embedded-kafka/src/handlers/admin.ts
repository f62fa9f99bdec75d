// Topic administration as kafkajs' admin client uses it: CreateTopics (19), DeleteTopics (20),
// CreatePartitions (37) and DescribeConfigs (32).
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { KNOWN_TOPIC_CONFIGS } from '../storage/topic-store';
import { RequestContext } from './context';

/** The message of an authorization refusal (Kafka's own says only "Topic authorization failed."). */
const NOT_ALLOWED = 'Authorization failed: this user has read-only access';

export function handleCreateTopics(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const { topics: store } = context.broker;
  const topics = request.array((r) => ({
    name: r.string(),
    numPartitions: r.int32(),
    replicationFactor: r.int16(),
    assignments: r.array((a) => ({ partition: a.int32(), brokers: a.array((b) => b.int32()) })),
    configs: r.array((c) => ({ name: c.string(), value: c.nullableString() })),
  }));
  request.int32(); // timeout
  const validateOnly = version >= 1 ? request.boolean() : false;

  const response = new Writer();
  if (version >= 2) response.int32(0);
  const seen = new Set<string>();
  response.array(topics, (w, topic) => {
    const partitions = topic.assignments.length > 0 ? topic.assignments.length : topic.numPartitions === -1 ? store.defaults.partitions : topic.numPartitions;
    const configs: Record<string, string> = {};
    for (const c of topic.configs) if (c.value !== null) configs[c.name] = c.value;
    let verdict: { errorCode: number; message: string | null };
    if (!context.session.access.mayAdminister) verdict = { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, message: NOT_ALLOWED };
    else if (seen.has(topic.name)) verdict = { errorCode: ErrorCode.INVALID_REQUEST, message: `topic '${topic.name}' named twice` };
    else if (topic.replicationFactor !== 1 && topic.replicationFactor !== -1) {
      verdict = { errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, message: 'this broker has one node: the replication factor must be 1' };
    } else if (validateOnly) verdict = store.validateCreation(topic.name, partitions, configs);
    else verdict = store.create(topic.name, partitions, configs);
    seen.add(topic.name);
    w.string(topic.name).int16(verdict.errorCode);
    if (version >= 1) w.nullableString(verdict.message);
  });
  return response;
}

export function handleDeleteTopics(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const { broker } = context;
  const names = request.array((r) => r.string());
  request.int32(); // timeout
  const response = new Writer();
  if (version >= 1) response.int32(0);
  response.array(names, (w, name) => {
    if (!context.session.access.mayAdminister) {
      w.string(name).int16(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      return;
    }
    const deleted = broker.topics.delete(name);
    if (deleted) broker.offsets.forgetTopic(name);
    w.string(name).int16(deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
  return response;
}

export function handleCreatePartitions(request: Reader, context: RequestContext): Writer {
  const { topics: store } = context.broker;
  const topics = request.array((r) => ({
    name: r.string(),
    count: r.int32(),
    assignments: r.nullableArray((a) => a.array((b) => b.int32())),
  }));
  request.int32(); // timeout
  const validateOnly = request.boolean();
  const response = new Writer().int32(0);
  response.array(topics, (w, topic) => {
    let verdict: { errorCode: number; message: string | null };
    const existing = store.get(topic.name);
    if (!context.session.access.mayAdminister) verdict = { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, message: NOT_ALLOWED };
    else if (validateOnly) {
      verdict = !existing
        ? { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `unknown topic '${topic.name}'` }
        : topic.count <= existing.partitions.length
          ? { errorCode: ErrorCode.INVALID_PARTITIONS, message: 'the new partition count must be larger' }
          : { errorCode: ErrorCode.NONE, message: null };
    } else verdict = store.addPartitions(topic.name, topic.count);
    w.string(topic.name).int16(verdict.errorCode).nullableString(verdict.message);
  });
  return response;
}

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_DEFAULT = 5;

export function handleDescribeConfigs(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const { broker } = context;
  const resources = request.array((r) => ({ type: r.int8(), name: r.string(), keys: r.nullableArray((k) => k.string()) }));
  if (version >= 1) request.boolean(); // include synonyms: the broker has none to tell

  const response = new Writer().int32(0);
  response.array(resources, (w, resource) => {
    let entries: { name: string; value: string; isDefault: boolean }[] = [];
    let errorCode: number = ErrorCode.NONE;
    let message: string | null = null;
    if (!context.session.access.mayAdminister) {
      // DESCRIBE_CONFIGS is not part of reading a topic in Kafka's ACLs either.
      errorCode = resource.type === RESOURCE_TOPIC ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
      message = NOT_ALLOWED;
    } else if (resource.type === RESOURCE_TOPIC) {
      const topic = broker.topics.get(resource.name);
      if (!topic) {
        errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        message = `unknown topic '${resource.name}'`;
      } else {
        const effective = broker.topics.logConfig(topic.configs);
        const defaults: Record<string, string> = {
          'retention.ms': String(effective.retentionMs),
          'retention.bytes': String(effective.retentionBytes),
          'segment.bytes': String(effective.segmentBytes),
          'cleanup.policy': 'delete',
          'max.message.bytes': '1048588',
          'min.insync.replicas': '1',
          'compression.type': 'producer',
          'message.timestamp.type': 'CreateTime',
        };
        entries = KNOWN_TOPIC_CONFIGS.map((name) => ({
          name,
          value: topic.configs[name] ?? defaults[name],
          isDefault: topic.configs[name] === undefined,
        }));
      }
    } else if (resource.type === RESOURCE_BROKER) {
      const d = broker.topics.defaults;
      entries = [
        { name: 'num.partitions', value: String(d.partitions), isDefault: true },
        { name: 'log.retention.ms', value: String(d.retentionMs), isDefault: true },
        { name: 'log.retention.bytes', value: String(d.retentionBytes), isDefault: true },
        { name: 'log.segment.bytes', value: String(d.segmentBytes), isDefault: true },
        { name: 'auto.create.topics.enable', value: String(broker.autoCreateTopics), isDefault: true },
      ];
    } else {
      errorCode = ErrorCode.INVALID_REQUEST;
      message = `unsupported resource type ${resource.type}`;
    }
    if (resource.keys) entries = entries.filter((e) => resource.keys?.includes(e.name));
    w.int16(errorCode).nullableString(message).int8(resource.type).string(resource.name);
    w.array(entries, (cw, entry) => {
      cw.string(entry.name).nullableString(entry.value).boolean(false);
      if (version === 0) cw.boolean(entry.isDefault);
      else cw.int8(entry.isDefault ? SOURCE_DEFAULT : SOURCE_DYNAMIC_TOPIC);
      cw.boolean(false);
      if (version >= 1) cw.array([], () => undefined);
    });
  });
  return response;
}
