import { Injectable, type NestMiddleware } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Environment } from '../config/environment';

/** Paths the API owns: never answered with a dashboard file or the SPA page. */
const API_PATH = /^\/(v\d+|health|metrics|docs)(\/|-json|$)/;
/** Vite puts content-hashed bundles here, so they can be cached for good. */
const HASHED_ASSETS = '/assets/';

interface SendFileOptions {
  root: string;
  dotfiles: 'deny';
  maxAge?: string;
  immutable?: boolean;
  headers?: Record<string, string>;
}
type DashboardRequest = IncomingMessage & { originalUrl?: string };
type DashboardResponse = ServerResponse & {
  sendFile(path: string, options: SendFileOptions, done: (error?: Error) => void): void;
};

/** True when DASHBOARD_DIR holds a built dashboard. */
export function hasDashboard(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built dashboard from DASHBOARD_DIR on the API's port: existing files as they are,
 * and index.html for any other GET that looks like a client-side route (no file extension),
 * so deep links work. API paths and missing asset files fall through to the API's JSON 404.
 */
@Injectable()
export class DashboardMiddleware implements NestMiddleware<DashboardRequest, DashboardResponse> {
  private readonly root: string | null;

  constructor(config: ConfigService<Environment, true>) {
    const dir = config.get('DASHBOARD_DIR', { infer: true });
    this.root = hasDashboard(dir) ? dir : null;
  }

  use(req: DashboardRequest, res: DashboardResponse, next: (error?: unknown) => void): void {
    if (!this.root || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const pathname = decodedPathname(req.originalUrl ?? req.url ?? '/');
    if (pathname === null || API_PATH.test(pathname)) return next();
    const root = this.root;
    const file = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    const options: SendFileOptions = pathname.startsWith(HASHED_ASSETS)
      ? { root, dotfiles: 'deny', maxAge: '365d', immutable: true }
      : { root, dotfiles: 'deny', headers: { 'cache-control': 'no-cache' } };
    res.sendFile(file, options, (error) => {
      if (!error || res.headersSent) return;
      const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
      if (lastSegment.includes('.')) return next();
      res.sendFile('index.html', { root, dotfiles: 'deny', headers: { 'cache-control': 'no-cache' } }, (e) => {
        if (e && !res.headersSent) next(e);
      });
    });
  }
}

function decodedPathname(url: string): string | null {
  const q = url.indexOf('?');
  try {
    return decodeURIComponent(q >= 0 ? url.slice(0, q) : url);
  } catch {
    return null;
  }
}
