// The public face of libs/database: the engine's one PostgreSQL (a server, or PGlite on one machine).
export * from './sql-database';
export * from './pglite-database';
export * from './postgres-database';
export * from './open-database';
export * from './apply-schema';
export * from './database.module';
export * from './database-errors';
export * from './pglite-template';
