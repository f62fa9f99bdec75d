import { DynamicModule, Module } from '@nestjs/common';
import type { WebSignIn } from './web-app-config';
import { WEB_SIGN_IN, WebConfigController } from './web-config.controller';

/** The web app's own route (`GET /api/web-config`); its files are served by serveWebApp, outside Nest's routing. */
@Module({})
export class WebAppModule {
  static forRoot(signIn: WebSignIn): DynamicModule {
    return { module: WebAppModule, controllers: [WebConfigController], providers: [{ provide: WEB_SIGN_IN, useValue: signIn }] };
  }
}
