// `GET /api/reports/:id/case-file`: the case file for the prosecution or the app stores, as JSON or as a PDF.

import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { buildCaseFile } from '@engine/domain';
import { Authenticated } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { ReportIdParams } from '../reports/dto/report-id.params';
import { ReportsService } from '../reports/reports.service';
import { renderCaseFilePdf } from './case-file-pdf';
import { CaseFileDto, CaseFileQuery } from './dto/case-file.dto';

@ApiTags('reports')
@ApiExtraModels(CaseFileDto)
@Controller('reports')
export class CaseFilesController {
  constructor(private readonly reports: ReportsService) {}

  @Get(':id/case-file')
  @Authenticated('viewer')
  @ApiOperation({
    summary: 'The case file: content, evidence hash, locations, triage, every request and answer with their times, timeline, messages sent, hash-chain verdict.',
    description:
      'recipient=prosecution gives everything; recipient=app-store leaves out what the app stores may not see (notes, reporter reference, assignee, actors, staff reasons) and lists what it left out. ' +
      'JSON by default; a PDF with format=pdf or Accept: application/pdf, as a download (Content-Disposition: attachment).',
  })
  @ApiProduces('application/json', 'application/pdf')
  @ApiHeader({ name: 'Accept', required: false, description: 'application/pdf for the PDF.' })
  @ApiOkResponse({
    description: 'The case file.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CaseFileDto) } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiErrorResponses({ 400: 'The id is invalid, or recipient or format is missing or unknown.', 404: 'There is no such report.', 503: 'The sent-messages log cannot be read now.' })
  async caseFile(@Param() { id }: ReportIdParams, @Query() query: CaseFileQuery, @Headers('accept') accept: string | undefined): Promise<CaseFileDto | StreamableFile> {
    const stream = await this.reports.events(id);
    const messages = await this.reports.messages(id);
    const file = buildCaseFile({ reportId: id, recipient: query.recipient, generatedAt: new Date().toISOString(), events: stream.events, integrity: stream.integrity, messages });
    const pdf = query.format === 'pdf' || (query.format === undefined && wantsPdf(accept));
    if (!pdf) return file;
    return new StreamableFile(await renderCaseFilePdf(file), { type: 'application/pdf', disposition: `attachment; filename="case-file-${id}-${query.recipient}.pdf"` });
  }
}

/** Whether the client asked for a PDF rather than JSON (an Accept naming application/pdf before any JSON type). */
function wantsPdf(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const pdf = types.indexOf('application/pdf');
  const json = types.findIndex((type) => type === 'application/json');
  return pdf >= 0 && (json < 0 || pdf < json);
}
