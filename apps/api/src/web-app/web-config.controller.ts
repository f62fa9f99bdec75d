// The web back office asks, before sign-in, how to sign in: with a bearer token, or at the OIDC issuer.

import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiErrorResponses, RATE_LIMITED } from '../common/dto/api-error.dto';
import { WebConfigDto } from './dto/web-config.dto';
import type { WebSignIn } from './web-app-config';

export const WEB_SIGN_IN = Symbol('WEB_SIGN_IN');

@ApiTags('web app')
@ApiErrorResponses({ 429: RATE_LIMITED })
@Controller('web-config')
export class WebConfigController {
  constructor(@Inject(WEB_SIGN_IN) private readonly signIn: WebSignIn) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "How the web app signs a user in: a bearer token typed in, or the OIDC issuer's authorization code flow with PKCE (issuer, web client, scopes). Public: nothing in it is secret." })
  @ApiOkResponse({ type: WebConfigDto, description: 'The sign-in method and, for OIDC, the issuer and the client.' })
  config(): WebConfigDto {
    return this.signIn.auth === 'oidc' ? { auth: 'oidc', oidc: { ...this.signIn.oidc } } : { auth: 'token' };
  }
}
