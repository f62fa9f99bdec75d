import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { plainData } from '../common/validation';
import { IF_MATCH_HEADER, IfMatchVersion, versionTag } from '../common/version-tag';
import { KnownPlatformPipe } from '../platforms/known-platform.pipe';
import type { Actor } from '../reports/reports.service';
import { PlatformParams, POLICY_CELLS_CHANGE_EXAMPLE, POLICY_CHANGE_EXAMPLE, PolicyCellsChangeDto, PolicyChangeDto, RolloutParams } from './dto/policy.dto';
import { PolicyChangeResultDto, PolicyRolloutDto, PolicyVersionDto } from './dto/policy-version.dto';
import { POLICY_SIMULATION_EXAMPLE, PolicySimulationDto, PolicySimulationRequestDto } from './dto/policy-simulation.dto';
import { RequestValidationError } from '../common/api-error';
import { toPolicyChangeResult, toPolicyRollout, toPolicySimulation, toPolicyVersion } from './policy-responses';
import { PolicySimulationRequestError } from './policy-simulations';
import { PoliciesService, PolicyChangeResult } from './policies.service';

const VERSION = { type: PolicyVersionDto, description: 'A policy version with who changed it, when, why and for which cases.' } as const;
const BAD_PLATFORM = 'The platform name is invalid.';
const UNKNOWN_PLATFORM = 'The platform is not known (details.code unknown-platform): an admin registers it with POST /api/platforms.';
const IF_MATCH = {
  name: IF_MATCH_HEADER,
  required: false,
  description: 'The policy version the change is based on, as GET gives it in ETag ("2"); a change on a version no longer in force is refused with 412. * or none: any.',
} as const;
const CHANGED_FOR_NEW_CASES = { type: PolicyChangeResultDto, description: 'For new cases only: the new version, in force for cases filed from now on.' } as const;
const CHANGED_FOR_RUNNING_CASES = {
  type: PolicyChangeResultDto,
  description: 'For running cases too: the new version, stored, and its rollout, which goes on after the answer.',
  headers: { Location: { description: "The rollout's progress: /api/policies/{platform}/rollouts/{version}.", schema: { type: 'string' } } },
} as const;
const CHANGE_ERRORS = {
  404: UNKNOWN_PLATFORM,
  409: 'Another change of this policy was stored meanwhile (code policy-changed-concurrently); nothing was stored.',
  412: 'If-Match names a version no longer in force; details.currentVersion and the ETag give the one in force. Nothing was stored.',
  413: 'The body is larger than the limit (BODY_LIMIT).',
  503: 'For running cases: Temporal did not take the rollout, so nothing was stored; try again.',
} as const;

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get(':platform')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The platform's escalation policy in force (version 1, the defaults, until changed)." })
  @ApiOkResponse({ ...VERSION, headers: { ETag: { description: 'The version, for If-Match on a change ("2").', schema: { type: 'string' } } } })
  @ApiErrorResponses({ 400: BAD_PLATFORM, 404: UNKNOWN_PLATFORM })
  async current(@Param(KnownPlatformPipe) { platform }: PlatformParams, @Res({ passthrough: true }) response: Response): Promise<PolicyVersionDto> {
    const current = toPolicyVersion(await this.policies.current(platform));
    response.setHeader('ETag', versionTag(current.policy.version)); // for If-Match on a change
    return current;
  }

  @Get(':platform/versions')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'Every version of the policy, oldest first.' })
  @ApiOkResponse({ type: PolicyVersionDto, isArray: true, description: 'The versions, oldest first.' })
  @ApiErrorResponses({ 400: BAD_PLATFORM, 404: UNKNOWN_PLATFORM })
  async versions(@Param(KnownPlatformPipe) { platform }: PlatformParams): Promise<PolicyVersionDto[]> {
    return (await this.policies.versions(platform)).map(toPolicyVersion);
  }

  @Put(':platform')
  @Authenticated('admin')
  @ApiOperation({
    summary: 'Stores a new version of the policy, for new cases only or also for running ones.',
    description:
      'For running cases the answer is 202: the version is stored and a rollout tells every running case of the platform ' +
      'after the answer, surviving restarts; follow it at the Location. Two changes of the same policy at once: one is stored, the other refused with 409. ' +
      'With If-Match naming the version read (its ETag), a change made on a version no longer in force is refused with 412.',
  })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: PolicyChangeDto, examples: { 'faster deletion for threats to life': { value: POLICY_CHANGE_EXAMPLE } } })
  @ApiOkResponse(CHANGED_FOR_NEW_CASES)
  @ApiAcceptedResponse(CHANGED_FOR_RUNNING_CASES)
  @ApiErrorResponses({ ...CHANGE_ERRORS, 400: 'The policy is invalid; details list every problem.' })
  change(
    @Param(KnownPlatformPipe) { platform }: PlatformParams,
    @Body() body: PolicyChangeDto,
    @IfMatchVersion() basedOnVersion: number | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PolicyChangeResultDto> {
    return this.answerChange(this.policies.change(platform, plainData(body), actor, { basedOnVersion }), response);
  }

  @Patch(':platform')
  @Authenticated('admin')
  @ApiOperation({
    summary: 'Changes a few cells of the policy: merged onto the version in force, stored as a new version with its reason.',
    description:
      'Send only the cells to change (rules[severity][clock][step]); the others, and the holiday state unless given, stay as in the version in force. ' +
      'Answers as PUT does: 200 for new cases, 202 and a rollout for running cases, 409 on a concurrent change, 412 on a stale If-Match.',
  })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: PolicyCellsChangeDto, examples: { 'faster deletion for threats to life': { value: POLICY_CELLS_CHANGE_EXAMPLE } } })
  @ApiOkResponse(CHANGED_FOR_NEW_CASES)
  @ApiAcceptedResponse(CHANGED_FOR_RUNNING_CASES)
  @ApiErrorResponses({ ...CHANGE_ERRORS, 400: 'A cell is outside the table or invalid, or none is given; details list every problem.' })
  changeCells(
    @Param(KnownPlatformPipe) { platform }: PlatformParams,
    @Body() body: PolicyCellsChangeDto,
    @IfMatchVersion() basedOnVersion: number | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PolicyChangeResultDto> {
    const { rules, ...rest } = plainData(body);
    return this.answerChange(this.policies.change(platform, { ...rest, cells: rules }, actor, { basedOnVersion }), response);
  }

  /** 200 with the version for new cases; 202 with where to follow the rollout for running ones. */
  private async answerChange(changing: Promise<PolicyChangeResult>, response: Response): Promise<PolicyChangeResultDto> {
    const result = toPolicyChangeResult(await changing);
    response.setHeader('ETag', versionTag(result.policy.version));
    if (result.rollout) {
      response.status(202);
      response.setHeader('Location', result.rollout.location);
    }
    return result;
  }

  // A viewer may run it: it reads past cases and changes nothing (a POST only because the candidate is a body).
  @Post(':platform/simulations')
  @HttpCode(200)
  @Authenticated('viewer')
  @ApiOperation({
    summary: "What-if: the platform's cases filed in a period, run again under a candidate policy (a version, a whole table, or cells on the version in force).",
    description:
      "Each case's recorded actions and answers at their recorded times, through the decider under the candidate; the timer's steps where the candidate's deadlines fall (business time, pauses). " +
      'Answers per ladder step which reminders, high-level contacts and app-store escalations come earlier, later, not at all or only under the candidate, how many cases reach app-store pressure, ' +
      'the median time to each step under both, and the changed cases one by one. Stores nothing.',
  })
  @ApiBody({ type: PolicySimulationRequestDto, examples: { 'a half-hour first deadline for threats to life, over February': { value: POLICY_SIMULATION_EXAMPLE } } })
  @ApiOkResponse({ type: PolicySimulationDto, description: 'The comparison, in aggregate and case by case.' })
  @ApiErrorResponses({
    400: 'The body is invalid: not exactly one of version, rules, cells; a bad cell; a period that ends before it begins; a version that does not exist. details name the field.',
    404: UNKNOWN_PLATFORM,
    413: 'The body is larger than the limit (BODY_LIMIT).',
  })
  async simulate(@Param(KnownPlatformPipe) { platform }: PlatformParams, @Body() body: PolicySimulationRequestDto): Promise<PolicySimulationDto> {
    const request = plainData(body.toRequest());
    try {
      return toPolicySimulation(await this.policies.simulate(platform, request), body.limit ?? 100);
    } catch (error) {
      if (error instanceof PolicySimulationRequestError) throw new RequestValidationError([{ field: error.field, problems: [error.message] }]);
      throw error;
    }
  }

  @Get(':platform/rollouts/:version')
  @Authenticated('viewer')
  @ApiOperation({ summary: "How the rollout of a policy version to the platform's running cases goes: status and counts." })
  @ApiOkResponse({ type: PolicyRolloutDto, description: 'The rollout: status, cases found, notified, skipped and failed.' })
  @ApiErrorResponses({
    400: 'The platform name or the version is invalid.',
    404: 'An unknown platform (details.code unknown-platform), no such version, a version for new cases only, or one applied before rollouts were recorded.',
    503: 'No worker answered for the running rollout.',
  })
  async rollout(@Param(KnownPlatformPipe) { platform, version }: RolloutParams): Promise<PolicyRolloutDto> {
    return toPolicyRollout(await this.policies.rollout(platform, version));
  }
}
