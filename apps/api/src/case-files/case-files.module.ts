import { Module } from '@nestjs/common';
import { CaseFilesController } from './case-files.controller';

/** The case file for the prosecution or the app stores; the ReportsService comes from ApiModule.forRoot. */
@Module({ controllers: [CaseFilesController] })
export class CaseFilesModule {}
