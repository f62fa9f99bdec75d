// PlatformsService on the read model.
import type { ReadModel } from '@engine/read-model';
import { PlatformsService } from './platforms.service';

export class ReadModelPlatformsService extends PlatformsService {
  constructor(private readonly readModel: ReadModel) {
    super();
  }

  scorecard(platform: string, period: { from: string; to: string }) {
    return this.readModel.scorecard(platform, period, new Date().toISOString());
  }
}
