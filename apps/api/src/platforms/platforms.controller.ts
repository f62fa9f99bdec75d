import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PlatformScorecard } from '@engine/read-model';
import { Authenticated } from '../auth/auth.decorators';
import { PlatformParams } from '../policies/dto/policy.dto';
import { ScorecardQuery } from './dto/scorecard.query';
import { PlatformsService } from './platforms.service';

@ApiTags('platforms')
@Controller('platforms')
export class PlatformsController {
  constructor(private readonly platforms: PlatformsService) {}

  @Get(':platform/scorecard')
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'How the platform cooperated in a period: removed %, answered % and supplied %, median time to effect, overdue now.',
  })
  @ApiOkResponse({ description: 'The scorecard.', schema: { type: 'object' } })
  scorecard(@Param() { platform }: PlatformParams, @Query() query: ScorecardQuery): Promise<PlatformScorecard> {
    return this.platforms.scorecard(platform, query.toPeriod(new Date()));
  }
}
