import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http';
import { Authenticated, CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../reports/reports.service';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { PlatformParams } from '../policies/dto/policy.dto';
import { DOSSIER_SETTINGS_EXAMPLE, DossierFilingBodyDto, DossierFilingRequestDto, DossierSettingsDto, PlatformDossierDto } from './dto/dossier.dto';
import { PlatformListDto, PlatformOverviewDto, PLATFORM_REGISTRATION_EXAMPLE, PlatformRegistrationDto } from './dto/platform-list.dto';
import { KnownPlatformPipe } from './known-platform.pipe';
import { ScorecardDto } from './dto/scorecard.dto';
import { ScorecardQuery } from './dto/scorecard.query';
import { PlatformsService } from './platforms.service';
import { toDossier, toPlatformOverview, toScorecard } from './scorecard-responses';

const UNKNOWN = 'The platform is not known (details.code unknown-platform): an admin registers it with POST /api/platforms.';

@ApiTags('platforms')
@Controller('platforms')
export class PlatformsController {
  constructor(private readonly platforms: PlatformsService) {}

  @Get()
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'The platforms the engine knows, by name: registered ones and those with cases from before the registry; the policy version in force, open and all cases.',
  })
  @ApiOkResponse({ type: PlatformListDto, description: 'The platforms, by name.' })
  @ApiErrorResponses({ 503: 'The read model or the policies cannot be read now.' })
  async list(): Promise<PlatformListDto> {
    return { items: (await this.platforms.list()).map(toPlatformOverview) };
  }

  @Post()
  @Authenticated('admin')
  @ApiOperation({
    summary: 'Registers a platform, so that reports can be filed on it (on the default policy until an admin changes it).',
    description:
      'Names are compared regardless of case: the platform is stored under its name in lower case, and the spelling given is kept as its display name. ' +
      'Reports on a platform nobody registered are refused, so that a typo never opens a platform on the default rules.',
  })
  @ApiBody({ type: PlatformRegistrationDto, examples: { 'a new platform': { value: PLATFORM_REGISTRATION_EXAMPLE } } })
  @ApiCreatedResponse({
    type: PlatformOverviewDto,
    description: 'The platform, registered.',
    headers: { Location: { description: 'The platform: /api/platforms/{platform}.', schema: { type: 'string' } } },
  })
  @ApiErrorResponses({
    400: 'The name or display name is invalid; details list each field.',
    409: 'The platform is known already, in any case of its name (details.code platform-already-registered).',
  })
  async register(@Body() body: PlatformRegistrationDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<PlatformOverviewDto> {
    const registered = await this.platforms.register({ name: body.name, displayName: body.displayName, reason: body.reason }, actor.username);
    response.setHeader('Location', `/api/platforms/${encodeURIComponent(registered.platform)}`);
    return toPlatformOverview(registered);
  }

  @Get(':platform')
  @Authenticated('viewer')
  @ApiOperation({ summary: 'One platform: its display name, who registered it, the policy version in force, open and all cases.' })
  @ApiOkResponse({ type: PlatformOverviewDto, description: 'The platform.' })
  @ApiErrorResponses({ 400: 'The platform name is invalid.', 404: UNKNOWN })
  async get(@Param(KnownPlatformPipe) { platform }: PlatformParams): Promise<PlatformOverviewDto> {
    return toPlatformOverview(await this.platforms.get(platform));
  }

  @Get(':platform/scorecard')
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'How the platform cooperated in a period: removed %, answered % and supplied %, median time to effect, overdue now.',
  })
  @ApiOkResponse({ type: ScorecardDto, description: 'The scorecard.' })
  @ApiErrorResponses({ 400: 'The platform name or the period is invalid; details list each field.', 404: UNKNOWN })
  async scorecard(@Param(KnownPlatformPipe) { platform }: PlatformParams, @Query() query: ScorecardQuery): Promise<ScorecardDto> {
    return toScorecard(await this.platforms.scorecard(platform, query.toPeriod(new Date())));
  }

  @Get(':platform/dossier')
  @Authenticated('viewer')
  @ApiOperation({ summary: "The platform's app-store dossier: the reports waiting with since when and why, the threshold and interval in force, the filings made." })
  @ApiOkResponse({ type: PlatformDossierDto, description: 'The dossier; empty and not running when no report of the platform reached app-store pressure.' })
  @ApiErrorResponses({ 400: 'The platform name is invalid.', 404: UNKNOWN, 503: "The dossier's workflow did not answer (no worker?)." })
  async dossier(@Param(KnownPlatformPipe) { platform }: PlatformParams): Promise<PlatformDossierDto> {
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
    404: UNKNOWN,
    409: 'No dossier runs for the platform, or no report waits in it: details.code no-dossier-running or dossier-empty.',
    503: "The dossier's workflow did not answer (no worker?).",
  })
  async fileDossier(@Param(KnownPlatformPipe) { platform }: PlatformParams, @Body() _body: DossierFilingBodyDto, @CurrentActor() actor: Actor): Promise<DossierFilingRequestDto> {
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
    404: UNKNOWN,
    409: 'No dossier runs for the platform (details.code no-dossier-running): when one starts it applies the rules an admin last set (GET …/dossier answers them, rulesSource recorded), else the worker\'s DOSSIER_THRESHOLD and DOSSIER_INTERVAL.',
    503: "The dossier's workflow did not answer (no worker?).",
  })
  async changeDossierSettings(@Param(KnownPlatformPipe) { platform }: PlatformParams, @Body() body: DossierSettingsDto, @CurrentActor() actor: Actor): Promise<PlatformDossierDto> {
    return toDossier(await this.platforms.changeDossierRules(platform, { threshold: body.threshold, interval: body.interval }, actor.username));
  }
}
