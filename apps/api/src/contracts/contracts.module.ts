import { Module } from '@nestjs/common';
import { ContractsController } from './contracts.controller';

/** /api/contracts: the AsyncAPI document and the events' JSON Schemas. */
@Module({ controllers: [ContractsController] })
export class ContractsModule {}
