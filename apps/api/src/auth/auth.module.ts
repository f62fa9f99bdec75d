import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { MeController } from './me.controller';

/** Installs the guard on every route and answers who the caller is; the TokenVerifier comes from ApiModule.forRoot. */
@Module({ controllers: [MeController], providers: [{ provide: APP_GUARD, useClass: AuthGuard }] })
export class AuthModule {}
