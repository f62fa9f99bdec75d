import { Module } from '@nestjs/common';
import { ReportActionsService } from './report-actions.service';
import { ReportsController } from './reports.controller';

/** Reports and their actions; the ReportsService comes from ApiModule.forRoot. */
@Module({ controllers: [ReportsController], providers: [ReportActionsService] })
export class ReportsModule {}
