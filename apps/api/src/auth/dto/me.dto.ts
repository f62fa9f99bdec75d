// What `GET /api/me` answers: who the bearer token stands for, so that a client can show what the role allows.

import { ApiProperty } from '@nestjs/swagger';

export class MeDto {
  @ApiProperty({ description: 'The username every event records as the actor.', example: 'sam' })
  actor!: string;

  @ApiProperty({ enum: ['viewer', 'staff', 'admin'], description: 'viewer reads, staff acts on cases, admin also changes policies.', example: 'staff' })
  role!: 'viewer' | 'staff' | 'admin';
}
