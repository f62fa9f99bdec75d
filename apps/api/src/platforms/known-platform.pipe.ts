// Turns the platform a request names into the name it is stored under (`Telegram` → `telegram`), after
// validation, so that every service gets one spelling. A route naming an unknown platform answers 404, a body
// naming one (filing a report) 422; a list filter on an unknown platform simply matches nothing.

import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { platformKey } from '@engine/domain';
import { PlatformsService, UnknownPlatformError } from './platforms.service';

@Injectable()
export class KnownPlatformPipe implements PipeTransform<{ platform?: string } | undefined> {
  constructor(private readonly platforms: PlatformsService) {}

  async transform<T extends { platform?: string } | undefined>(value: T, metadata: ArgumentMetadata): Promise<T> {
    const name = value?.platform;
    if (typeof name !== 'string') return value;
    const stored = await this.platforms.resolve(name);
    if (stored === undefined && metadata.type === 'query') return Object.assign(value!, { platform: platformKey(name) });
    if (stored === undefined) throw new UnknownPlatformError(name, metadata.type === 'body' ? 422 : 404);
    // The validated DTO instance is kept (its methods, e.g. a query's toFilter), only its platform is replaced.
    return Object.assign(value!, { platform: stored });
  }
}
