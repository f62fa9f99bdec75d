// Provides the platform gateway: the sent-messages log in the engine's database, SMTP and webhooks as configured.

import { Provider } from '@nestjs/common';
import { DATABASE, SqlDatabase } from '@engine/database';
import { HttpWebhookChannel, LoggingPlatformGateway, SentMessagesLog, SmtpEmailChannel } from '@engine/platform-gateway';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';

export const PLATFORM_GATEWAY = Symbol('PLATFORM_GATEWAY');

export const platformGatewayProvider: Provider = {
  provide: PLATFORM_GATEWAY,
  inject: [DATABASE, WORKER_CONFIG],
  useFactory: async (database: SqlDatabase, config: WorkerConfig) => {
    const log = new SentMessagesLog(database);
    await log.migrate();
    return new LoggingPlatformGateway(log, config.contacts, {
      webhook: new HttpWebhookChannel(),
      ...(config.smtp && { email: new SmtpEmailChannel(config.smtp.url, config.smtp.from) }),
    });
  },
};
