// What every API handler gets: the request header, the caller (and what it may do), and the broker's shared state.
import { Access } from '../auth/access';
import { SaslSession } from '../auth/sasl-session';
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

/** The connection a request came on. */
export interface ConnectionSession {
  /** What this connection may do: everything on a broker without users, else what its user was granted. */
  readonly access: Access;
  /** The SASL exchange, on a broker with users; null on one without. */
  readonly sasl: SaslSession | null;
  /** Ends the connection once this request's answer is written (a failed authentication, as in Kafka). */
  closeAfterResponse(reason: string): void;
}

export interface RequestContext {
  header: RequestHeader;
  clientHost: string;
  broker: BrokerState;
  session: ConnectionSession;
}

/** Returns the response body, or null when the API answers nothing (Produce with acks=0). */
export type ApiHandler = (request: Reader, context: RequestContext) => Writer | null | Promise<Writer | null>;
