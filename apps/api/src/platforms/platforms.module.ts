import { Module } from '@nestjs/common';
import { CooperationReportController } from './cooperation-report.controller';
import { PlatformsController } from './platforms.controller';

/** Platforms, their scorecards, dossiers and cooperation reports; the PlatformsService comes from ApiModule.forRoot. */
@Module({ controllers: [PlatformsController, CooperationReportController] })
export class PlatformsModule {}
