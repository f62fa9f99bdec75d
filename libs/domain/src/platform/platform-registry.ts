// The platforms the engine knows, as a decider: an admin registers a platform before reports are filed on it,
// so that a typo is refused instead of silently opening a platform on the default rules. Names are compared
// case-insensitively: the registry keys each platform on its name in lower case and keeps the admin's spelling
// as the display name.

import { IllegalStepError } from '../errors';
import { Command, Decider, Event } from '../event-sourcing';

/** 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit (as in streams and workflow ids). */
export const PLATFORM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The key a platform is stored and compared under: `Telegram` and `telegram` are one platform. */
export function platformKey(name: string): string {
  return name.toLowerCase();
}

export type RegisterPlatform = Command<'RegisterPlatform', { name: string; displayName?: string; reason?: string }>;

export type PlatformRegistered = Event<'PlatformRegistered', { platform: string; displayName: string; reason?: string }>;

export interface RegisteredPlatform {
  /** The key: the name in lower case. */
  platform: string;
  displayName: string;
  registeredBy: string;
  registeredAt: string;
}

export interface PlatformRegistryState {
  /** By key. */
  platforms: Readonly<Record<string, RegisteredPlatform>>;
}

export function initialPlatformRegistry(): PlatformRegistryState {
  return { platforms: {} };
}

export function registerPlatform(command: RegisterPlatform, state: PlatformRegistryState): PlatformRegistered[] {
  const { name, displayName, reason } = command.data;
  if (typeof name !== 'string' || !PLATFORM_NAME_PATTERN.test(name)) {
    throw new IllegalStepError('invalid-input', 'A platform name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.');
  }
  // An optional field sent as null (JSON clients do) means absent, as the API's validation treats it.
  const shown = displayName === undefined || displayName === null ? name : displayName.trim();
  if (shown === '' || shown.length > 100) throw new IllegalStepError('invalid-input', 'A display name is 1 to 100 characters.');
  const platform = platformKey(name);
  const existing = state.platforms[platform];
  if (existing) {
    throw new IllegalStepError('platform-already-registered', `The platform ${existing.displayName} (${platform}) is registered already: names are compared regardless of case.`);
  }
  const trimmedReason = reason?.trim();
  return [{ type: 'PlatformRegistered', data: { platform, displayName: shown, ...(trimmedReason ? { reason: trimmedReason } : {}) }, metadata: command.metadata }];
}

export function evolvePlatformRegistry(state: PlatformRegistryState, event: PlatformRegistered): PlatformRegistryState {
  switch (event.type) {
    case 'PlatformRegistered': {
      const registered: RegisteredPlatform = {
        platform: event.data.platform,
        displayName: event.data.displayName,
        registeredBy: event.metadata.actor,
        registeredAt: event.metadata.now,
      };
      return { platforms: { ...state.platforms, [event.data.platform]: registered } };
    }
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}

export const platformRegistryDecider: Decider<PlatformRegistryState, RegisterPlatform, PlatformRegistered> = {
  decide: registerPlatform,
  evolve: evolvePlatformRegistry,
  initialState: initialPlatformRegistry,
};
