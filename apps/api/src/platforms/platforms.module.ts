import { Module } from '@nestjs/common';
import { PlatformsController } from './platforms.controller';

/** Platform scorecards; the PlatformsService comes from ApiModule.forRoot. */
@Module({ controllers: [PlatformsController] })
export class PlatformsModule {}
