// What `GET /api/web-config` answers: how the web back office signs a user in, before anyone has signed in.

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OidcSignInDto {
  @ApiProperty({ description: 'The issuer the API accepts tokens from (OIDC_ISSUER); its discovery document is at <issuer>/.well-known/openid-configuration.', example: 'https://login.example.org/realms/authority' })
  issuer!: string;

  @ApiProperty({ description: "The issuer's public client for the web app (OIDC_WEB_CLIENT_ID): authorization code with PKCE.", example: 'report-engine-web' })
  clientId!: string;

  @ApiProperty({ description: 'Space-separated scopes the web app asks for (OIDC_WEB_SCOPES).', example: 'openid profile email' })
  scopes!: string;
}

export class WebConfigDto {
  @ApiProperty({ enum: ['token', 'oidc'], description: 'token: the sign-in page takes a bearer token; oidc: it signs in at the issuer (authorization code with PKCE).', example: 'token' })
  auth!: 'token' | 'oidc';

  @ApiPropertyOptional({ type: OidcSignInDto, description: 'With auth oidc: the issuer and the web client.' })
  oidc?: OidcSignInDto;
}
