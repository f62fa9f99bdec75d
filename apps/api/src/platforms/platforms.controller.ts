import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../reports/reports.service';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { PlatformParams } from '../policies/dto/policy.dto';
import { DOSSIER_SETTINGS_EXAMPLE, DossierFilingBodyDto, DossierFilingRequestDto, DossierSettingsDto, PlatformDossierDto } from './dto/dossier.dto';
import { PlatformListDto } from './dto/platform-list.dto';
import { ScorecardDto } from './dto/scorecard.dto';
import { ScorecardQuery } from './dto/scorecard.query';
import { PlatformsService } from './platforms.service';
import { toDossier, toScorecard } from './scorecard-responses';

@ApiTags('platforms')
@Controller('platforms')
export class PlatformsController {
  constructor(private readonly platforms: PlatformsService) {}

  @Get()
  @Authenticated('viewer')
  @ApiOperation({ summary: 'The platforms the engine has cases of, by name: the policy version in force, open and all cases.' })
  @ApiOkResponse({ type: PlatformListDto, description: 'The platforms, by name.' })
  @ApiErrorResponses({ 503: 'The read model or the policies cannot be read now.' })
  async list(): Promise<PlatformListDto> {
    return { items: (await this.platforms.list()).map((platform) => ({ ...platform })) };
  }

  @Get(':platform/scorecard')
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'How the platform cooperated in a period: removed %, answered % and supplied %, median time to effect, overdue now.',
  })
  @ApiOkResponse({ type: ScorecardDto, description: 'The scorecard.' })
  @ApiErrorResponses({ 400: 'The platform name or the period is invalid; details list each field.' })
  async scorecard(@Param() { platform }: PlatformParams, @Query() query: ScorecardQuery): Promise<ScorecardDto> {
    return toScorecard(await this.platforms.scorecard(platform, query.toPeriod(new Date())));
  }

  @Get(':platform/dossier')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The platform's app-store dossier: the reports waiting with since when and why, the threshold and interval in force, the filings made." })
  @ApiOkResponse({ type: PlatformDossierDto, description: 'The dossier; empty and not running when no report of the platform reached app-store pressure.' })
  @ApiErrorResponses({ 400: 'The platform name is invalid.', 503: "The dossier's workflow did not answer (no worker?)." })
  async dossier(@Param() { platform }: PlatformParams): Promise<PlatformDossierDto> {
    return toDossier(await this.platforms.dossier(platform));
  }

  @Post(':platform/dossier/filing')
  @HttpCode(202)
  @Authenticated('admin')
  @ApiOperation({ summary: 'Files the waiting reports with the app stores now, without waiting for the threshold or the interval.' })
  @ApiBody({ type: DossierFilingBodyDto, required: false, examples: { 'file now': { value: {} } } })
  @ApiAcceptedResponse({ type: DossierFilingRequestDto, description: 'Taken: these reports are filed within moments (GET the dossier to see the filing).' })
  @ApiErrorResponses({
    400: 'The platform name is invalid, or the body has a field (it takes none).',
    409: 'No dossier runs for the platform, or no report waits in it: details.code no-dossier-running or dossier-empty.',
    503: "The dossier's workflow did not answer (no worker?).",
  })
  async fileDossier(@Param() { platform }: PlatformParams, @Body() _body: DossierFilingBodyDto, @CurrentActor() actor: Actor): Promise<DossierFilingRequestDto> {
    const request = await this.platforms.fileDossier(platform, actor.username);
    return { platform: request.platform, reportIds: [...request.reportIds], requestedBy: request.requestedBy };
  }

  @Put(':platform/dossier/settings')
  @Authenticated('admin')
  @ApiOperation({ summary: 'Sets the threshold and interval of the running dossier at once; a threshold already reached files it.' })
  @ApiBody({ type: DossierSettingsDto, examples: { 'file sooner': { value: DOSSIER_SETTINGS_EXAMPLE } } })
  @ApiOkResponse({ type: PlatformDossierDto, description: 'The dossier with the new rules in force.' })
  @ApiErrorResponses({
    400: 'The platform name, the threshold or the interval is invalid; details list each field.',
    409: 'No dossier runs for the platform (details.code no-dossier-running): the worker\'s DOSSIER_THRESHOLD and DOSSIER_INTERVAL apply when one starts.',
    503: "The dossier's workflow did not answer (no worker?).",
  })
  async changeDossierSettings(@Param() { platform }: PlatformParams, @Body() body: DossierSettingsDto, @CurrentActor() actor: Actor): Promise<PlatformDossierDto> {
    return toDossier(await this.platforms.changeDossierRules(platform, { threshold: body.threshold, interval: body.interval }, actor.username));
  }
}
