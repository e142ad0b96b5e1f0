import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteDevServer } from 'vite';

/**
 * The web app behind the local gateway, on the API's origin (as CloudFront serves it in the cloud).
 * The gateway hands it every GET/HEAD outside /api/, /idm.IdentityService/ and /health; client-side
 * routes get index.html, so a deep link works.
 *
 *  - `vite` (the default of `npm start`): Vite in middleware mode compiles frontend/src on request,
 *    so a change shows on reload (or at once, through Vite's hot updates) without a build.
 *  - `dist`: the production build of `npm run build:web` (what the end-to-end tests drive).
 */
export type WebMode = 'vite' | 'dist' | 'off';

export interface WebApp {
  /** Answers the request and says so, or leaves it to the gateway (false). */
  serve(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
  description: string;
}

export const FRONTEND_DIR = fileURLToPath(new URL('../../frontend/', import.meta.url));
const DIST = join(FRONTEND_DIR, 'dist');

/**
 * `httpServer`: the gateway's server, once it listens; Vite's hot-update socket shares its port
 * (a browser tab then updates on save, and nothing tries another port).
 */
export async function startWebApp(mode: WebMode, httpServer: () => Server | undefined = () => undefined): Promise<WebApp | undefined> {
  if (mode === 'off') return undefined;
  if (mode === 'dist') return distApp();
  // Vite starts on the first page request, so the API is up as fast as without the web app.
  let vite: Promise<ViteDevServer> | undefined;
  const server = () =>
    (vite ??= import('vite').then(({ createServer }) =>
      createServer({
        root: FRONTEND_DIR,
        configFile: join(FRONTEND_DIR, 'vite.config.ts'),
        appType: 'spa',
        logLevel: 'warn',
        server: { middlewareMode: true, hmr: httpServer() ? { server: httpServer() } : false },
      }),
    ));
  return {
    description: 'the web app from frontend/src (Vite middleware: changes show without a build)',
    serve: async (req, res) => {
      const { middlewares } = await server();
      return new Promise((resolve) => {
        res.once('finish', () => resolve(true));
        middlewares(req, res, () => resolve(false));
      });
    },
    close: async () => {
      if (vite) await (await vite).close();
    },
  };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

function distApp(): WebApp {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('frontend/dist is not built: run `npm run build:web` (or start without WEB=dist)');
  return {
    description: 'the web app built in frontend/dist',
    serve: async (req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      let safe: string;
      try {
        safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
      } catch {
        return false;
      }
      let file = join(DIST, safe);
      // A path without an extension is a client-side route: the app shell answers it.
      if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) {
        if (extname(safe)) return false;
        file = join(DIST, 'index.html');
      }
      const hashed = file.includes(`${join(DIST, 'assets')}/`);
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
      return true;
    },
    close: async () => {},
  };
}
