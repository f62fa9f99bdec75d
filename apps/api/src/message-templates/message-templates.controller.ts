// `GET /api/message-templates`: the templates every message to a platform is written from (German and English),
// with the placeholders they use, so an admin reads exactly what the platforms receive.

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { LEGAL_PROVISIONS, ORDER_PLACEHOLDERS, PLATFORM_ORDER_TEMPLATES } from '@engine/domain';
import { Authenticated } from '../auth/auth.decorators';

export class MessageTemplatesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per language (de, en): subject and opening per message kind (deletion-request, subscriber-data-request, reminder, high-level-contact, removal-still-online), reasons, body, severity and request wording; {{placeholders}} are filled per case.',
  })
  templates!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Each placeholder and what it is filled with; {{reasons}} is the filled reasons template.' })
  placeholders!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "Per offence category of triage, the StGB section(s) and the offence's name in German and English." })
  legalProvisions!: Record<string, unknown>;
}

@ApiTags('message-templates')
@Controller('message-templates')
export class MessageTemplatesController {
  @Get()
  @Authenticated('admin')
  @ApiOperation({ summary: 'The templates of the orders sent to platforms (Art. 9/10 DSA), German and English, with their placeholders and the StGB section per offence category.' })
  @ApiOkResponse({ type: MessageTemplatesDto })
  templates(): MessageTemplatesDto {
    return { templates: PLATFORM_ORDER_TEMPLATES, placeholders: { ...ORDER_PLACEHOLDERS }, legalProvisions: LEGAL_PROVISIONS };
  }
}
