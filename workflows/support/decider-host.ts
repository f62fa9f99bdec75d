// The one decider host of the engine's workflows. Each workflow is its stream's only writer: it takes one decision
// at a time (decide → append at the expected version → fold), carries out what the stored events ask of the
// outside world, knows what is still in flight before it continues as new, and on a fresh run reloads the stream.

/** One decision's stored events, with the state before and after them. */
export interface StoredDecision<S, E> {
  before: S;
  after: S;
  events: readonly E[];
  /** The stream's version before these events: the first of them is at `versionBefore + 1`. */
  versionBefore: number;
}

export interface DeciderHostOptions<R, S, E> {
  /** Where the run starts: a fresh stream's empty state, or the state and version a continued run carried. */
  state: S;
  version: number;
  /** The domain's decision on a request (a command, with whatever the workflow adds to it). Throws to refuse. */
  decide(request: R, state: S): E[];
  evolve(state: S, event: E): S;
  /** Stores the events at the stream's expected version; a rejection stores and folds nothing. */
  append(events: E[], expectedVersion: number, request: R): Promise<void>;
  /**
   * What the stored events ask of the outside world, as steps carried out one after the other. `behind`: after
   * the decision has answered, behind earlier decisions' reactions (an outside system down for hours must not
   * hold the next decision); a failure goes to `onReactionFailure`. `in-line`: before the next decision.
   */
  react?(stored: StoredDecision<S, E>): ReadonlyArray<() => Promise<void>>;
  reactions?: 'behind' | 'in-line';
  onReactionFailure?(error: unknown): void;
}

export class DeciderHost<R, S, E> {
  private current: S;
  private streamVersion: number;
  private decisions: Promise<void> = Promise.resolve();
  private reactions: Promise<void> = Promise.resolve();
  /** Decisions and reactions not finished yet: a run may continue as new only when there are none. */
  private inFlight = 0;
  private reloading = false;

  constructor(private readonly options: DeciderHostOptions<R, S, E>) {
    this.current = options.state;
    this.streamVersion = options.version;
  }

  get state(): S {
    return this.current;
  }

  /** The stream's version: the number of its stored events. */
  get version(): number {
    return this.streamVersion;
  }

  /** Nothing decided, stored or carried out is still under way: what continue-as-new waits for. */
  idle(): boolean {
    return this.inFlight === 0;
  }

  /**
   * Decides, stores and folds one request after every earlier one, so that each decision sees the state the last
   * one left. Answers the state after it; a refusal (from decide or append) leaves the state as it was.
   */
  execute(request: R): Promise<S> {
    return this.serialised(async () => {
      const before = this.current;
      const events = this.options.decide(request, before);
      if (events.length === 0) return before;
      const versionBefore = this.streamVersion;
      await this.options.append(events, versionBefore, request);
      this.current = events.reduce((state, event) => this.options.evolve(state, event), before);
      this.streamVersion = versionBefore + events.length;
      const steps = this.options.react?.({ before, after: this.current, events, versionBefore }) ?? [];
      if (this.options.reactions === 'in-line') {
        for (const step of steps) await step();
      } else if (steps.length > 0) {
        this.inFlight++;
        let chain = this.reactions;
        for (const step of steps) chain = chain.then(step);
        this.reactions = chain.catch((error: unknown) => this.options.onReactionFailure?.(error)).finally(() => this.inFlight--);
      }
      return this.current;
    });
  }

  /**
   * A fresh run of a stream that may hold events already (its earlier run ended, failed or was terminated): takes
   * the state and version the store has, before any decision, instead of starting empty and conflicting at
   * version 0. A continued run does not need it: its state travels with continue-as-new.
   */
  reload(load: () => Promise<{ state: S; version: number }>): Promise<void> {
    this.reloading = true;
    return this.serialised(async () => {
      try {
        const { state, version } = await load();
        this.current = state;
        this.streamVersion = version;
      } finally {
        this.reloading = false;
      }
    });
  }

  /** Whether the state is still being read from the stream: a check against it now would judge an empty stream. */
  loading(): boolean {
    return this.reloading;
  }

  /**
   * Changes the state without an event. Only for histories recorded before a workflow stored such a change as an
   * event (see the dossier's rules): their replay must see the state they saw.
   */
  amendUnrecorded(change: (state: S) => S): void {
    this.current = change(this.current);
  }

  private serialised<T>(step: () => Promise<T>): Promise<T> {
    this.inFlight++;
    const run = this.decisions.then(step).finally(() => this.inFlight--);
    this.decisions = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
