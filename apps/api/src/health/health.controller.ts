import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { HttpResponse as Response } from '../common/http';
import { Public } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { ApiErrorResponses } from '../common/dto/api-error.dto';
import { HealthDto } from './dto/health.dto';
import { HealthProbes, ProbeResult } from './health-probes';

/** A probe that does not answer in this time counts as down: /health must answer quickly to be useful. */
export const PROBE_TIMEOUT_MS = 3000;

/** Writes a failed health check in the API's error shape, the checks' results as details. */
@Catch(ServiceUnavailableException)
export class HealthCheckFailedFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const result = exception.getResponse() as Partial<HealthCheckResult>;
    const down = Object.entries(result.error ?? {}).map(([name, info]) => {
      const message = (info as { message?: unknown }).message;
      return typeof message === 'string' ? `${name} (${message})` : name;
    });
    const body: ApiErrorBody = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: down.length > 0 ? `Down: ${down.join(', ')}.` : 'The service is not healthy.',
      details: result as Record<string, unknown>,
    };
    host.switchToHttp().getResponse<Response>().status(503).json(body);
  }
}

@ApiTags('operations')
@Controller('health')
@UseFilters(HealthCheckFailedFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probes: HealthProbes,
  ) {}

  @Get()
  @Public()
  // Terminus documents a 503 body this API does not answer (a failed check answers the API's error body).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthDto, description: 'Every dependency is up.' })
  @ApiErrorResponses({ 503: "At least one dependency is down; details hold each check's result." })
  @ApiOperation({ summary: 'Whether Temporal answers and a worker polls, Kafka answers and has the lifecycle topic, the database answers, and stored events flow (pipeline: relay and projector lag; down when one has lag and makes no progress for 60 s; degraded, still 200, while events are quarantined).' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicator('temporal', () => this.probes.temporal()),
      () => this.indicator('worker', () => this.probes.worker()),
      () => this.indicator('kafka', () => this.probes.kafka()),
      () => this.indicator('database', () => this.probes.database()),
      () => this.indicator('pipeline', () => this.probes.pipeline()),
    ]);
  }

  private async indicator(name: string, probe: () => Promise<ProbeResult>): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<ProbeResult>((resolve) => {
        timer = setTimeout(() => resolve({ up: false, detail: `no answer within ${PROBE_TIMEOUT_MS} ms` }), PROBE_TIMEOUT_MS);
      });
      const result = await Promise.race([probe(), timeout]);
      const data: Record<string, string | boolean> = result.detail === undefined ? {} : { message: result.detail };
      if (result.degraded) data.degraded = true;
      return result.up ? session.up(data) : session.down(data);
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
