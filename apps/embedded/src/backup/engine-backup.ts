// What the running engine does when the backup command asks: copy its data directory while PGlite is idle.

import { PGliteDatabase, SqlDatabase } from '@engine/database';
import { EmbeddedConfig } from '../embedded-config';
import type { RunningStandIns } from '../stand-ins/stand-ins';
import { ControlHandlers } from './control-socket';
import { backupDataDirectory, BackupError } from './data-backup';

export function engineBackupHandlers(config: EmbeddedConfig, database: SqlDatabase, standIns: RunningStandIns | undefined): ControlHandlers {
  return {
    async backup(target) {
      const outside = [
        config.databaseUrl && 'the database (DATABASE_URL: use pg_dump)',
        config.temporalAddress && 'Temporal (TEMPORAL_ADDRESS)',
        config.kafkaBrokers && 'Kafka (KAFKA_BROKERS)',
      ].filter(Boolean);
      // Half a backup (the data directory without the systems it must agree with) would restore inconsistent.
      if (outside.length > 0 || !(database instanceof PGliteDatabase)) {
        throw new BackupError(`this engine keeps ${outside.join(', ') || 'its database'} outside its data directory; data:backup covers a fully embedded engine only`);
      }
      return backupDataDirectory(config.dataDir, target, (copy) => database.snapshotWhileIdle(copy), true, standIns && ((copy) => standIns.frozenWhile(copy)));
    },
  };
}
