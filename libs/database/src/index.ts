// The public face of libs/database.
export * from './open-database';
export * from './database.module';
