// The shapes every event-sourced model here shares (in the spirit of Emmett's Decider).

/** Who acted and when. `decide` takes time only from here, never from a clock. */
export interface Metadata {
  /** The acting user (a username), or `system:<part>` for the engine itself (for example `system:timer`). */
  actor: string;
  /** ISO 8601 instant at which the command was issued. */
  now: string;
  /** Ties the events of one back-office action or integration request together. */
  correlationId?: string;
  /**
   * Only on a command: the stream version the actor's decision was based on (HTTP If-Match). `decide` refuses
   * the command when the state moved on since, and never copies this onto the events.
   */
  expectedVersion?: number;
}

export type Event<Type extends string, Data extends object, M extends Metadata = Metadata> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: M;
}>;

export type Command<Type extends string, Data extends object, M extends Metadata = Metadata> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: M;
}>;

export interface Decider<State, C, E> {
  decide(command: C, state: State): E[];
  evolve(state: State, event: E): State;
  initialState(): State;
}

/** Rebuilds a state from its events. */
export function fold<State, E>(decider: Pick<Decider<State, unknown, E>, 'evolve' | 'initialState'>, events: readonly E[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}
