import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import { plainData } from '../common/validation';
import type { Actor } from '../reports/reports.service';
import { PlatformParams, PolicyChangeDto } from './dto/policy.dto';
import { PoliciesService, PolicyVersion } from './policies.service';

const VERSION = { description: 'A policy version with who changed it, when, why and for which cases.', schema: { type: 'object' } } as const;

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get(':platform')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The platform's escalation policy in force (version 1, the defaults, until changed)." })
  @ApiOkResponse(VERSION)
  current(@Param() { platform }: PlatformParams): Promise<PolicyVersion> {
    return this.policies.current(platform);
  }

  @Get(':platform/versions')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'Every version of the policy, oldest first.' })
  @ApiOkResponse({ description: 'The versions, oldest first.', schema: { type: 'array', items: { type: 'object' } } })
  versions(@Param() { platform }: PlatformParams): Promise<PolicyVersion[]> {
    return this.policies.versions(platform);
  }

  @Put(':platform')
  @Authenticated('admin')
  @ApiOperation({ summary: 'Stores a new version of the policy, for new cases only or also for running ones.' })
  @ApiOkResponse({ ...VERSION, description: 'The new version and how many running cases were told.' })
  @ApiBadRequestResponse({ description: 'The policy is invalid; details list every problem.' })
  change(
    @Param() { platform }: PlatformParams,
    @Body() body: PolicyChangeDto,
    @CurrentActor() actor: Actor,
  ): Promise<PolicyVersion & { runningCasesNotified: number }> {
    return this.policies.change(platform, plainData(body), actor);
  }
}
