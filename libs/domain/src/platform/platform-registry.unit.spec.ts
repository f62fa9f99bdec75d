import { specFor } from '../../testing/decider-spec';
import { fold } from '../event-sourcing';
import { PlatformRegistered, platformKey, platformRegistryDecider, RegisterPlatform } from './platform-registry';

const spec = specFor(platformRegistryDecider);
const metadata = { actor: 'admin.kurz', now: '2026-03-02T09:00:00.000Z' };
const register = (data: RegisterPlatform['data']): RegisterPlatform => ({ type: 'RegisterPlatform', data, metadata });
const registered = (platform: string, displayName: string, reason?: string): PlatformRegistered => ({
  type: 'PlatformRegistered', data: { platform, displayName, ...(reason ? { reason } : {}) }, metadata,
});

describe('registering a platform', () => {
  it('keys it on its name in lower case and keeps the spelling as display name', () =>
    spec.given([]).when(register({ name: 'Telegram' })).then([registered('telegram', 'Telegram')]));
  it('takes a display name and a reason', () =>
    spec.given([]).when(register({ name: 'vk', displayName: ' VKontakte ', reason: ' New platform in the DSA list ' })).then([registered('vk', 'VKontakte', 'New platform in the DSA list')]));
  it('refuses a name registered already, in any case', () =>
    spec.given([registered('telegram', 'Telegram')]).when(register({ name: 'TELEGRAM' })).thenThrows('platform-already-registered', /Telegram \(telegram\) is registered already/));
  it('refuses a name that is no platform name', () => spec.given([]).when(register({ name: 'te legram' })).thenThrows('invalid-input', /platform name/));
  it('takes a display name sent as null for none: the name as given', () =>
    spec.given([]).when(register({ name: 'VK', displayName: null as unknown as string })).then([registered('vk', 'VK')]));

  it('refuses a blank display name', () => spec.given([]).when(register({ name: 'vk', displayName: '  ' })).thenThrows('invalid-input', /display name/));
  it('refuses a name longer than 64 characters', () => spec.given([]).when(register({ name: 'x'.repeat(65) })).thenThrows('invalid-input'));
  it('remembers who registered each platform, and when', () => {
    const state = fold(platformRegistryDecider, [registered('telegram', 'Telegram'), registered('vk', 'VK')]);
    expect(Object.keys(state.platforms)).toEqual(['telegram', 'vk']);
    expect(state.platforms.vk).toEqual({ platform: 'vk', displayName: 'VK', registeredBy: 'admin.kurz', registeredAt: metadata.now });
  });
  it('compares names regardless of case', () => expect(platformKey('TeleGram')).toBe(platformKey('telegram')));
});
