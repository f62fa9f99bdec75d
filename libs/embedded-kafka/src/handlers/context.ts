// What every API handler gets: the request header, the caller, and the broker's shared state.
import { GroupCoordinator } from '../groups/group-coordinator';
import { OffsetStore } from '../groups/offset-store';
import { ProducerIdAllocator } from '../producers/producer-id-allocator';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { TopicStore } from '../storage/topic-store';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export interface BrokerState {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
  readonly autoCreateTopics: boolean;
  readonly topics: TopicStore;
  readonly groups: GroupCoordinator;
  readonly offsets: OffsetStore;
  readonly producerIds: ProducerIdAllocator;
  /** Wakes long-polling fetches: resolves when data is appended or after `timeoutMs`. */
  waitForData(timeoutMs: number): Promise<void>;
  notifyDataAppended(): void;
  /** Lets Metadata create a topic when auto-creation is on (as in Kafka, Produce never does). */
  autoCreateTopic(name: string): boolean;
}

export interface RequestContext {
  header: RequestHeader;
  clientHost: string;
  broker: BrokerState;
}

/** Returns the response body, or null when the API answers nothing (Produce with acks=0). */
export type ApiHandler = (request: Reader, context: RequestContext) => Writer | null | Promise<Writer | null>;
