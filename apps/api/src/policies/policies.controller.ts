import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { plainData } from '../common/validation';
import type { Actor } from '../reports/reports.service';
import { PlatformParams, POLICY_CHANGE_EXAMPLE, PolicyChangeDto } from './dto/policy.dto';
import { PolicyChangeResultDto, PolicyVersionDto } from './dto/policy-version.dto';
import { toPolicyChangeResult, toPolicyVersion } from './policy-responses';
import { PoliciesService } from './policies.service';

const VERSION = { type: PolicyVersionDto, description: 'A policy version with who changed it, when, why and for which cases.' } as const;
const BAD_PLATFORM = 'The platform name is invalid.';

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get(':platform')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The platform's escalation policy in force (version 1, the defaults, until changed)." })
  @ApiOkResponse(VERSION)
  @ApiErrorResponses({ 400: BAD_PLATFORM })
  async current(@Param() { platform }: PlatformParams): Promise<PolicyVersionDto> {
    return toPolicyVersion(await this.policies.current(platform));
  }

  @Get(':platform/versions')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'Every version of the policy, oldest first.' })
  @ApiOkResponse({ type: PolicyVersionDto, isArray: true, description: 'The versions, oldest first.' })
  @ApiErrorResponses({ 400: BAD_PLATFORM })
  async versions(@Param() { platform }: PlatformParams): Promise<PolicyVersionDto[]> {
    return (await this.policies.versions(platform)).map(toPolicyVersion);
  }

  @Put(':platform')
  @Authenticated('admin')
  @ApiOperation({ summary: 'Stores a new version of the policy, for new cases only or also for running ones.' })
  @ApiBody({ type: PolicyChangeDto, examples: { 'faster deletion for threats to life': { value: POLICY_CHANGE_EXAMPLE } } })
  @ApiOkResponse({ type: PolicyChangeResultDto, description: 'The new version and how many running cases were told.' })
  @ApiErrorResponses({ 400: 'The policy is invalid; details list every problem.', 413: 'The body is larger than the limit (BODY_LIMIT).' })
  async change(
    @Param() { platform }: PlatformParams,
    @Body() body: PolicyChangeDto,
    @CurrentActor() actor: Actor,
  ): Promise<PolicyChangeResultDto> {
    return toPolicyChangeResult(await this.policies.change(platform, plainData(body), actor));
  }
}
