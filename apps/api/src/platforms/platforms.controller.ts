import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { PlatformParams } from '../policies/dto/policy.dto';
import { PlatformDossierDto } from './dto/dossier.dto';
import { ScorecardDto } from './dto/scorecard.dto';
import { ScorecardQuery } from './dto/scorecard.query';
import { PlatformsService } from './platforms.service';
import { toDossier, toScorecard } from './scorecard-responses';

@ApiTags('platforms')
@Controller('platforms')
export class PlatformsController {
  constructor(private readonly platforms: PlatformsService) {}

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
}
