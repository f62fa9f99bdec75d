import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, Matches } from 'class-validator';
import { EnumProperty, REPORT_ID_PATTERN, ValidatedBy } from '../../common/validation';
import { REPORT_ACTION_ROUTE_NAMES, ReportActionRoute } from './report-actions.dto';

export const BULK_MAX_IDS = 500;

export class BulkActionParams {
  @EnumProperty(REPORT_ACTION_ROUTE_NAMES)
  action!: ReportActionRoute;
}

export class BulkActionDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: BULK_MAX_IDS, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_IDS)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @Matches(REPORT_ID_PATTERN, { each: true, message: 'each value in ids must be a report id' })
  ids!: string[];

  @ApiProperty({ required: false, type: Object, additionalProperties: true, description: "The action's body, as for one report." })
  @IsOptional()
  @ValidatedBy('isObject', (value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'data must be an object')
  data?: Record<string, unknown>;
}
