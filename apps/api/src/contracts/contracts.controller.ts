// The event contract over HTTP, beside the OpenAPI document: the AsyncAPI document of the lifecycle topic and
// the JSON Schema of each event type, so that an integrator can fetch them from the running engine.

import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument, reportEventSchemaVersions, reportLifecycleMessageSchema } from '@engine/contracts';
import { Public } from '../auth/auth.decorators';
import { ApiErrorResponses, RATE_LIMITED } from '../common/dto/api-error.dto';

const SCHEMA_FILE = /^([A-Za-z]+)\.v([1-9][0-9]*)\.json$/;

export class EventSchemaLink {
  @ApiProperty({ example: 'ReportFiled' })
  type!: string;

  @ApiProperty({ description: 'The schema version (the event\'s schemaVersion, the v<n> of its ce_type).', example: 1 })
  version!: number;

  @ApiProperty({ description: "Where the schema is, relative to the API's origin.", example: '/api/contracts/schemas/ReportFiled.v1.json' })
  href!: string;
}

@ApiTags('contracts')
@Controller('contracts')
@Public()
@ApiErrorResponses({ 429: RATE_LIMITED })
export class ContractsController {
  @Get('asyncapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'The AsyncAPI 3 document of the lifecycle topic (channels, messages, headers, schemas).' })
  @ApiOkResponse({ description: 'The AsyncAPI document.', schema: { type: 'object', additionalProperties: true } })
  asyncApi(): unknown {
    return asyncApiDocument();
  }

  @Get('schemas')
  @ApiOperation({ summary: 'The JSON Schemas of the lifecycle events, one per event type and schema version.' })
  @ApiOkResponse({ type: EventSchemaLink, isArray: true })
  schemas(): EventSchemaLink[] {
    return reportEventSchemaVersions().map(({ type, version }) => ({ type, version, href: `/api/contracts/schemas/${type}.v${version}.json` }));
  }

  @Get('schemas/:file')
  @Header('content-type', 'application/schema+json; charset=utf-8')
  @ApiOperation({ summary: "One event type's JSON Schema (draft 2020-12) at a version, e.g. ReportFiled.v1.json, PlatformResponseRecorded.v2.json." })
  @ApiOkResponse({
    description: 'The JSON Schema of the whole Kafka message value for that event type.',
    content: { 'application/schema+json': { schema: { type: 'object', additionalProperties: true } } },
  })
  @ApiErrorResponses({ 404: 'No event type of that name, or no such version of it.' })
  schema(@Param('file') file: string): unknown {
    const [, type, version] = SCHEMA_FILE.exec(file) ?? [];
    const known = reportEventSchemaVersions().find((schema) => schema.type === type && schema.version === Number(version));
    if (!known) throw new NotFoundException(`No event schema ${JSON.stringify(file)}: GET /api/contracts/schemas lists them.`);
    return reportLifecycleMessageSchema(known.type, known.version);
  }
}
