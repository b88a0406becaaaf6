/**
 * Pages in headless Chromium for the tests that need a page of their own rather than
 * vitest's browser runner: the built `browser.js` on a plain static server (with and without
 * cross-origin isolation) and the example page. Chromium is Debian's
 * (scripts/install-chromium.sh), driven by Playwright without its browser download.
 * Without it, {@link chromiumReason} says why and the tests skip (printed, never passed).
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium as pw, type Browser } from 'playwright';

function findChromium(): string | undefined {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const chromiumPath = findChromium();
export const chromiumReason: string | null = chromiumPath ? null : 'Debian\'s chromium is not installed (bash scripts/install-chromium.sh)';
if (chromiumReason) console.warn(`[numbats browser page tests] SKIPPED: ${chromiumReason}`);

export function launch(): Promise<Browser> {
  return pw.launch({ executablePath: chromiumPath!, args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.css': 'text/css', '.png': 'image/png', '.json': 'application/json' };

/**
 * A static file server on 127.0.0.1 (a free port) over `roots` (URL prefix → folder).
 * Paths under `/isolated/` get COOP `same-origin` and COEP `require-corp`; others get no
 * such header. Nothing else: no bundler, no import map.
 */
export async function serveStatic(roots: Record<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/isolated/')) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      path = path.slice('/isolated'.length);
    } else if (path.startsWith('/plain/')) path = path.slice('/plain'.length);
    const prefix = Object.keys(roots).filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    const file = prefix === undefined ? '' : normalize(join(roots[prefix]!, path.slice(prefix.length)));
    if (prefix === undefined || !file.startsWith(roots[prefix]!) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  return { server, origin: `http://127.0.0.1:${addr.port}` };
}
