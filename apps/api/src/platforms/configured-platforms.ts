// Registers the platforms of the PLATFORMS setting that the engine does not know yet, as the engine itself.
// Several API processes starting at once: the registry's optimistic concurrency lets one register each name.

import { IllegalStepError } from '@engine/domain';
import type { PlatformsService } from './platforms.service';

export const SETTINGS_ACTOR = 'system:settings';

export async function registerConfiguredPlatforms(platforms: PlatformsService, names: readonly string[]): Promise<string[]> {
  const registered: string[] = [];
  for (const name of names) {
    if ((await platforms.resolve(name)) !== undefined) continue;
    try {
      registered.push((await platforms.register({ name, reason: 'Listed in the PLATFORMS setting' }, SETTINGS_ACTOR)).platform);
    } catch (error) {
      if (!(error instanceof IllegalStepError && error.code === 'platform-already-registered')) throw error;
    }
  }
  return registered;
}
