// The platforms the engine knows: those an admin (or the PLATFORMS setting) registered, in the event stream
// `platforms`, and those that had cases or policy versions before the registry existed, so that an existing
// installation keeps working. Names are compared regardless of case; each platform is stored under one spelling.

import { eventsToStore, platformRegistryStreamId, policyStreamId, storedAsDomainEvents } from '@engine/contracts';
import {
  fold,
  IllegalStepError,
  platformKey,
  PlatformRegistered,
  platformRegistryDecider,
  PlatformRegistryState,
  RegisteredPlatform,
  RegisterPlatform,
} from '@engine/domain';
import { ConcurrencyConflictError, type EventStore } from '@engine/event-store';
import type { ReadModel } from '@engine/read-model';

/** Registrations racing on the one registry stream: each retry re-decides on what the other stored. */
const REGISTER_ATTEMPTS = 5;

export interface PlatformRegistryDependencies {
  eventStore: EventStore;
  readModel: Pick<ReadModel, 'casesByPlatform'>;
}

export class EventSourcedPlatformRegistry {
  constructor(private readonly deps: PlatformRegistryDependencies) {}

  /** The registered platforms, by key. */
  async registered(): Promise<PlatformRegistryState> {
    return (await this.read()).state;
  }

  /**
   * The spelling a platform's cases, policy and dossier are stored under, whatever the case of `name`: its key
   * (the name in lower case) when registered, else the spelling of its cases or policy versions from before the
   * registry; undefined for a platform the engine does not know.
   */
  async resolve(name: string): Promise<string | undefined> {
    const key = platformKey(name);
    if ((await this.registered()).platforms[key]) return key;
    return this.storedBeforeRegistry(name);
  }

  /** Registers a platform; IllegalStepError `platform-already-registered` when it is known in any case. */
  async register(data: RegisterPlatform['data'], metadata: RegisterPlatform['metadata']): Promise<RegisteredPlatform> {
    for (let attempt = 1; ; attempt += 1) {
      const { state, version } = await this.read();
      const command: RegisterPlatform = { type: 'RegisterPlatform', data, metadata };
      const events = platformRegistryDecider.decide(command, state);
      const known = await this.storedBeforeRegistry(data.name);
      if (known !== undefined) {
        throw new IllegalStepError('platform-already-registered', `The platform ${known} is known already: it has cases or policy versions. Names are compared regardless of case.`);
      }
      try {
        await this.deps.eventStore.append(platformRegistryStreamId, version, eventsToStore(events, { streamId: platformRegistryStreamId, expectedVersion: version }));
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < REGISTER_ATTEMPTS) continue;
        throw error;
      }
      return fold(platformRegistryDecider, events).platforms[events[0].data.platform];
    }
  }

  private async read(): Promise<{ state: PlatformRegistryState; version: number }> {
    const stored = await this.deps.eventStore.readStream(platformRegistryStreamId);
    return { state: fold(platformRegistryDecider, storedAsDomainEvents<PlatformRegistered>(stored)), version: stored.length };
  }

  /**
   * A platform with cases (in the read model) or policy versions (its stream) from before the registry: the
   * spelling they are stored under, preferring the one given, then the lower-case one.
   */
  private async storedBeforeRegistry(name: string): Promise<string | undefined> {
    const key = platformKey(name);
    const withCases = (await this.deps.readModel.casesByPlatform()).map((row) => row.platform).filter((platform) => platformKey(platform) === key);
    const preferred = [name, key, ...withCases];
    const spelledWithCases = preferred.find((spelling) => withCases.includes(spelling));
    if (spelledWithCases !== undefined) return spelledWithCases;
    for (const spelling of new Set([name, key])) {
      if ((await this.deps.eventStore.streamVersion(policyStreamId(spelling))) > 0) return spelling;
    }
    return undefined;
  }
}
