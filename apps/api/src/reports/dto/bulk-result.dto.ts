// What `POST /api/reports/bulk/:action` answers: one result per id, failures listed as the single route fails.

import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { FILED_REPORT_STATUSES } from './report-detail.dto';

export class BulkItemSucceededDto {
  @ApiProperty()
  reportId!: string;

  @ApiProperty({ enum: [true] })
  ok!: true;

  @ApiProperty({ enum: FILED_REPORT_STATUSES, description: "The case's status after the action." })
  status!: string;
}

export class BulkItemFailedDto {
  @ApiProperty()
  reportId!: string;

  @ApiProperty({ enum: [false] })
  ok!: false;

  @ApiProperty({ description: 'The status the single route would have answered.', example: 409 })
  httpStatus!: number;

  @ApiProperty({ example: 'Conflict' })
  error!: string;

  @ApiProperty({ required: false, description: "The domain's reason code, for a refusal.", example: 'not-allowed-in-status' })
  code?: string;

  @ApiProperty()
  message!: string;
}

export type BulkItemResultDto = BulkItemSucceededDto | BulkItemFailedDto;

@ApiExtraModels(BulkItemSucceededDto, BulkItemFailedDto)
export class BulkResultDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(BulkItemSucceededDto) }, { $ref: getSchemaPath(BulkItemFailedDto) }] },
    description: 'One result per id, in the order of the ids.',
  })
  results!: BulkItemResultDto[];
}
