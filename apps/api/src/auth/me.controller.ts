// Tells a client who its bearer token stands for (the web back office's sign-in checks a token with it).

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../reports/reports.service';
import { Authenticated, CurrentActor } from './auth.decorators';
import { MeDto } from './dto/me.dto';

@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @Authenticated('viewer')
  @ApiOperation({ summary: 'Who the bearer token stands for: the username and the role.' })
  @ApiOkResponse({ type: MeDto, description: 'The caller.' })
  me(@CurrentActor() actor: Actor): MeDto {
    return { actor: actor.username, role: actor.role };
  }
}
