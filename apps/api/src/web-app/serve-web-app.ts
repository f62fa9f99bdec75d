// Serves the built web back office at / on the API's own origin: its files as they are, and index.html for the
// app's own routes (a bookmarked /cases/… or a reload), never in the place of the API's routes.

import type { INestApplication } from '@nestjs/common';
import type { HttpRequest } from '../common/http';

/** Paths the API answers itself: never a file of the web app, never index.html. */
export const API_PATHS = ['/api', '/health', '/metrics'];

export function isApiPath(path: string): boolean {
  return API_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** Vite names its bundles by content hash under assets/: they never change, so browsers keep them for a year. */
const HASHED_ASSETS = '/assets/';

interface FileResponse {
  headersSent: boolean;
  setHeader(name: string, value: string): void;
  sendFile(path: string, options: { root: string; dotfiles: 'deny'; maxAge?: number; immutable?: boolean; lastModified?: boolean; etag?: boolean }, done: (error?: Error) => void): void;
}

type Next = (error?: unknown) => void;

/**
 * A request for a page (a browser's navigation asks for text/html first), not for a script, style or data:
 * only these get index.html when no file matches.
 */
function wantsPage(request: HttpRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /(^|,)\s*text\/html/i.test(accept);
}

/**
 * Express middleware for the app in `directory`: GET and HEAD outside the API's paths are answered with the
 * file of that path, or with index.html for a page of the app (a path without a file of its own, asked for as
 * HTML); anything else goes on to the API, which answers 404 in its error shape.
 */
export function webAppMiddleware(directory: string) {
  return (request: HttpRequest, response: FileResponse, next: Next): void => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.path ?? '/')) return next();
    const path = request.path ?? '/';
    const sendIndex = () => {
      // Always revalidated: a new build's index.html names new bundles.
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile('index.html', { root: directory, dotfiles: 'deny', lastModified: true, etag: true }, (error) => {
        if (error && !response.headersSent) next();
      });
    };
    if (path === '/' || path === '/index.html') return sendIndex();
    const hashed = path.startsWith(HASHED_ASSETS);
    // sendFile with a root refuses `..` (403) and hidden files; the path is still URL-encoded here and decoded by send.
    response.sendFile(
      path.slice(1),
      { root: directory, dotfiles: 'deny', ...(hashed ? { maxAge: 365 * 24 * 3600 * 1000, immutable: true } : {}) },
      (error) => {
        if (!error || response.headersSent) return;
        const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
        // A page of the app (asked for as HTML; its path may hold a dot, e.g. /platforms/x.com) gets index.html; a
        // missing script or style stays a 404, so that an old page asking for a replaced bundle gets no HTML as its script.
        if (status === 404 && !hashed && wantsPage(request)) return sendIndex();
        next();
      },
    );
  };
}

/** Installs the web app on an API app (after configureApiApp, so that its security headers cover the pages). */
export function serveWebApp(app: INestApplication, directory: string): void {
  app.use(webAppMiddleware(directory));
}
