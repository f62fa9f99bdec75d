// What a passing `GET /health` answers (Terminus's result); a failing one answers the API's error body.

import { ApiProperty } from '@nestjs/swagger';

const checks = (description: string) =>
  ApiProperty({
    type: 'object',
    description,
    additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, required: ['status'], additionalProperties: true },
    example: { temporal: { status: 'up' }, worker: { status: 'up' }, kafka: { status: 'up' }, database: { status: 'up' } },
  });

export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @checks('The checks that are up, by name.')
  info!: Record<string, { status: string }>;

  @checks('The checks that are down, by name (none when healthy).')
  error!: Record<string, { status: string }>;

  @checks('Every check, by name.')
  details!: Record<string, { status: string }>;
}
