import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../common/http';
import { Authenticated } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { PlatformParams } from '../policies/dto/policy.dto';
import { CooperationReportDto } from './dto/cooperation-report.dto';
import { CooperationReportQuery } from './dto/cooperation-report.query';
import { cooperationReportCsv, cooperationReportFileName, CSV_CONTENT_TYPE } from './cooperation-report-csv';
import { toCooperationReport } from './cooperation-report-response';
import { KnownPlatformPipe } from './known-platform.pipe';
import { PlatformsService } from './platforms.service';

const CSV_EXAMPLE =
  '\uFEFFKennzahl;Bezeichnung;Zeitraum;Vorzeitraum;Veränderung\r\n' +
  'platform;Plattform;telegram;;\r\nperiod;Zeitraum;2026-11;2026-10;\r\n…\r\n' +
  'requests.deletion;Löschersuchen;9;11;-2\r\nanswers.late;Antwort nach Fristablauf;3;5;-2\r\n';

@ApiTags('platforms')
@ApiExtraModels(CooperationReportDto)
@Controller('platforms')
export class CooperationReportController {
  constructor(private readonly platforms: PlatformsService) {}

  @Get(':platform/cooperation-report')
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'The cooperation and transparency report of a platform for a month, a quarter or from–to, against the period before; as JSON or CSV.',
    description:
      'Counts the requests sent in the period, followed up to now: by kind, offence category and severity; answered in time (by the standard contact\'s deadline), late, never; ' +
      'removed, partly removed, refused; data supplied or refused; median and 90th percentile of the time to the answer and to the effect; how far the ladder went; ' +
      'app-store dossiers filed in the period. CSV (Accept: text/csv or format=csv): UTF-8 with a byte order mark, semicolons and decimal commas as German spreadsheets expect, a header row, German labels.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiHeader({ name: 'Accept', required: false, description: 'text/csv for the spreadsheet; anything else answers JSON.' })
  @ApiOkResponse({
    description: 'The report.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CooperationReportDto) } },
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
    },
  })
  @ApiErrorResponses({ 400: 'The platform name or the period is invalid (period and from/to together, a month 2026-13, from after to); details name the field.', 404: 'The platform is not known (details.code unknown-platform).' })
  async report(
    @Param(KnownPlatformPipe) { platform }: PlatformParams,
    @Query() query: CooperationReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CooperationReportDto | string> {
    const periods = query.toPeriods(new Date());
    const report = toCooperationReport(await this.platforms.cooperationReport(platform, periods));
    if (query.format === 'csv' || (query.format === undefined && wantsCsv(accept))) {
      response.setHeader('Content-Type', CSV_CONTENT_TYPE);
      response.setHeader('Content-Disposition', `attachment; filename="${cooperationReportFileName(report)}"`);
      return cooperationReportCsv(report);
    }
    return report;
  }
}

/** Whether the client asked for CSV before JSON (a browser's `*\/*` gets JSON). */
function wantsCsv(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}
