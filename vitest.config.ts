import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { viteSeams } from './scripts/platform-seams.mjs';

/** Debian's Chromium (scripts/install-chromium.sh), or undefined: then the browser project is left out and scripts/run-tests.mjs reports its tests as skipped. */
function chromium(): string | undefined {
  if (process.env.NUMBATS_NO_BROWSER) return undefined;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Cross-origin isolation (SharedArrayBuffer, the Web Worker pool). */
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** The browser project's tests: these Node suites run unchanged in Chromium, plus test/browser. */
export const BROWSER_SUITES = [
  'test/browser/**/*.test.ts',
  'test/builtins/conformance.test.ts',
  'test/gpu/builtins.test.ts',
  'test/gpu/calls.test.ts',
];

const executablePath = chromium();
const fixturesHelper = fileURLToPath(new URL('./test/helpers/fixtures.ts', import.meta.url));
const browserFixtures = fileURLToPath(new URL('./test/browser/helpers/fixtures.ts', import.meta.url));

export default defineConfig({
  test: {
    // The heap is one process-wide shared WebAssembly.Memory; forks keep each test file in
    // its own process so heap-pressure tests cannot disturb each other.
    pool: 'forks',
    testTimeout: 60_000,
    // beforeAll hooks compile whole batches of kernels (test/compiler/arithmetic.test.ts):
    // on a loaded 2-core machine that passed vitest's 10 s default (seen twice this session).
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/browser/**', 'node_modules/**'] },
      },
      ...(executablePath === undefined ? [] : [{
        extends: true as const,
        plugins: [
          viteSeams(),
          // Suites shared with Node read their NumPy fixtures through Vite instead of node:fs.
          { name: 'numbats-browser-fixtures', enforce: 'pre' as const, async resolveId(this: { resolve: (s: string, i?: string, o?: object) => Promise<{ id: string } | null> }, source: string, importer?: string) {
            if (!source.endsWith('/fixtures.js') || importer === undefined) return undefined;
            const r = await this.resolve(source, importer, { skipSelf: true });
            return r?.id === fixturesHelper ? browserFixtures : undefined;
          } },
        ],
        server: { headers: ISOLATED },
        test: {
          name: 'browser',
          include: BROWSER_SUITES,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath, args: ['--no-sandbox', '--enable-unsafe-webgpu'] } }),
            instances: [{ browser: 'chromium' as const }],
          },
        },
      }]),
    ],
  },
});
