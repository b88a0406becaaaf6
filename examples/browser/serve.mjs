#!/usr/bin/env node
// `npm run serve:example`: builds dist/browser.js if needed and serves the repository on
// http://127.0.0.1:8080/ (PORT to change) with the headers that make the page cross-origin
// isolated (COOP same-origin, COEP require-corp), so `parallel` gets its Web Workers.
// Open http://127.0.0.1:8080/examples/browser/index.html
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
if (!existsSync(join(root, 'dist/browser.js'))) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build-browser.mjs')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.css': 'text/css', '.png': 'image/png' };
const port = Number(process.env.PORT || 8080);
createServer((req, res) => {
  const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  res.setHeader('Content-Type', TYPES[extname(path)] ?? 'application/octet-stream');
  createReadStream(path).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`numbats example: http://127.0.0.1:${port}/examples/browser/index.html`));
