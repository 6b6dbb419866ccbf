import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MetricsService } from './metrics.service';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** Label for requests no route answered (404s, dashboard files): one value, so paths cannot explode the label set. */
export const UNROUTED = '(none)';

/** Times every request until its response is finished and records it under the route pattern (`/v1/songs/:id`). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<RoutedRequest, ServerResponse> {
  constructor(private readonly metrics: MetricsService) {}

  use(req: RoutedRequest, res: ServerResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // A request no controller matched keeps the catch-all pattern of the app-wide middleware (`/{*path}`).
      const pattern = req.route?.path;
      const route = typeof pattern === 'string' && !pattern.includes('*') ? `${req.baseUrl ?? ''}${pattern}` : UNROUTED;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observeRequest(req.method ?? 'GET', route, res.statusCode, seconds);
    });
    next();
  }
}
