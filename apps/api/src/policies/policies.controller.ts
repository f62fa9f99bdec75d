import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { plainData } from '../common/validation';
import type { Actor } from '../reports/reports.service';
import { PlatformParams, POLICY_CHANGE_EXAMPLE, PolicyChangeDto, RolloutParams } from './dto/policy.dto';
import { PolicyChangeResultDto, PolicyRolloutDto, PolicyVersionDto } from './dto/policy-version.dto';
import { toPolicyChangeResult, toPolicyRollout, toPolicyVersion } from './policy-responses';
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
  @ApiOperation({
    summary: 'Stores a new version of the policy, for new cases only or also for running ones.',
    description:
      'For running cases the answer is 202: the version is stored and a rollout tells every running case of the platform ' +
      'after the answer, surviving restarts; follow it at the Location. Two changes of the same policy at once: one is stored, the other refused with 409.',
  })
  @ApiBody({ type: PolicyChangeDto, examples: { 'faster deletion for threats to life': { value: POLICY_CHANGE_EXAMPLE } } })
  @ApiOkResponse({ type: PolicyChangeResultDto, description: 'For new cases only: the new version, in force for cases filed from now on.' })
  @ApiAcceptedResponse({
    type: PolicyChangeResultDto,
    description: "For running cases too: the new version, stored, and its rollout, which goes on after the answer.",
    headers: { Location: { description: "The rollout's progress: /api/policies/{platform}/rollouts/{version}.", schema: { type: 'string' } } },
  })
  @ApiErrorResponses({
    400: 'The policy is invalid; details list every problem.',
    409: 'Another change of this policy was stored meanwhile (code policy-changed-concurrently); nothing was stored.',
    413: 'The body is larger than the limit (BODY_LIMIT).',
    503: 'For running cases: Temporal did not take the rollout, so nothing was stored; try again.',
  })
  async change(
    @Param() { platform }: PlatformParams,
    @Body() body: PolicyChangeDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PolicyChangeResultDto> {
    const result = toPolicyChangeResult(await this.policies.change(platform, plainData(body), actor));
    if (result.rollout) {
      response.status(202);
      response.setHeader('Location', result.rollout.location);
    }
    return result;
  }

  @Get(':platform/rollouts/:version')
  @Authenticated('viewer')
  @ApiOperation({ summary: "How the rollout of a policy version to the platform's running cases goes: status and counts." })
  @ApiOkResponse({ type: PolicyRolloutDto, description: 'The rollout: status, cases found, notified, skipped and failed.' })
  @ApiErrorResponses({
    400: 'The platform name or the version is invalid.',
    404: 'No such version, a version for new cases only, or one applied before rollouts were recorded.',
    503: 'No worker answered for the running rollout.',
  })
  async rollout(@Param() { platform, version }: RolloutParams): Promise<PolicyRolloutDto> {
    return toPolicyRollout(await this.policies.rollout(platform, version));
  }
}
