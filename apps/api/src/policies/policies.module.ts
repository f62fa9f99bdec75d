import { Module } from '@nestjs/common';
import { PoliciesController } from './policies.controller';

/** Escalation policies; the PoliciesService comes from ApiModule.forRoot. */
@Module({ controllers: [PoliciesController] })
export class PoliciesModule {}
