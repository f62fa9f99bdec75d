import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { PlatformParams } from '../policies/dto/policy.dto';
import { ScorecardDto } from './dto/scorecard.dto';
import { ScorecardQuery } from './dto/scorecard.query';
import { PlatformsService } from './platforms.service';
import { toScorecard } from './scorecard-responses';

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
}
