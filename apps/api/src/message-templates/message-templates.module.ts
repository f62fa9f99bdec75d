import { Module } from '@nestjs/common';
import { MessageTemplatesController } from './message-templates.controller';

/** The templates of the messages to platforms, for admins to read. */
@Module({ controllers: [MessageTemplatesController] })
export class MessageTemplatesModule {}
