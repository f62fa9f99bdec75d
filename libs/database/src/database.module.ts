// Nest wiring: provides the one open database under the DATABASE token and closes it at shutdown.

import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { SqlDatabase } from './sql-database';

export const DATABASE = Symbol('DATABASE');

@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: SqlDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  /**
   * `closeOnShutdown: false` when the database is shared with another application in the same process (the
   * embedded stack): whoever opened it closes it.
   */
  static forDatabase(database: SqlDatabase, { closeOnShutdown = true } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE, useValue: database }, ...(closeOnShutdown ? [DatabaseCloser] : [])],
      exports: [DATABASE],
    };
  }
}
