import { Controller, Get, Header, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import type { HttpResponse as Response } from '../common/http';
import { Public } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  // Not the users' tokens: a scraper gets METRICS_TOKEN (when set), which opens nothing else.
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Prometheus metrics: requests, actions by type and outcome, rate-limited requests, open cases by status, deadlines elapsed ' +
      'and their lateness, escalations, dossier filings, relay and projector lag. With METRICS_TOKEN set, send it as a bearer token.',
  })
  @ApiOkResponse({ description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrorResponses({ 401: 'METRICS_TOKEN is set and the request does not carry it as a bearer token.' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    this.metrics.checkScrapeAuthorization(authorization);
    response.type(this.metrics.contentType).send(await this.metrics.exposition());
  }
}
