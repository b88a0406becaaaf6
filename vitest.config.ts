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

/**
 * The browser project's tests: test/browser, plus these suites shared with Node, run
 * unchanged in Chromium: the ufunc conformance fixtures and a representative subset of the
 * kernel-language suites (asc in the browser compiler worker). constructs.test.ts runs a
 * fixed subset of its (construct, dtype) units there (every construct, ~35% of the units:
 * its one module of all 355 took 106 s with asc in a browser worker on the loaded 2-core
 * machine, ~55 s of it the worker's load of asc). Left out: the gpu suites of test/gpu, which
 * compare with the cpu target's synchronous compile (test/browser/gpu.test.ts and
 * gpu-special-values.test.ts cover the gpu target instead).
 */
export const BROWSER_SUITES = [
  'test/browser/**/*.test.ts',
  'test/builtins/conformance.test.ts',
  'test/compiler/arithmetic.test.ts',
  'test/compiler/constructs.test.ts',
  'test/compiler/control-flow.test.ts',
  'test/compiler/gufunc.test.ts',
  'test/compiler/nb-math.test.ts',
];

const executablePath = chromium();
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/**
 * Test helpers that the shared suites import, swapped in the browser: the fixtures come
 * through Vite instead of node:fs, and the kernel-language harness compiles with asc in the
 * browser compiler worker. Keyed by the resolved module, and the importer ('' for any).
 */
const BROWSER_HELPERS: ReadonlyArray<{ module: string; importer: string; use: string }> = [
  { module: here('./test/helpers/fixtures.ts'), importer: '', use: here('./test/browser/helpers/fixtures.ts') },
  { module: here('./src/compiler/toolchain/asc.ts'), importer: here('./test/compiler/harness.ts'), use: here('./test/browser/helpers/asc-in-worker.ts') },
];

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
          { name: 'numbats-browser-test-helpers', enforce: 'pre' as const, async resolveId(this: { resolve: (s: string, i?: string, o?: object) => Promise<{ id: string } | null> }, source: string, importer?: string) {
            if (importer === undefined || !source.startsWith('.')) return undefined;
            const from = importer.split('?')[0]!;
            const r = await this.resolve(source, importer, { skipSelf: true });
            return BROWSER_HELPERS.find((h) => h.module === r?.id && (h.importer === '' || h.importer === from))?.use;
          } },
        ],
        server: { headers: ISOLATED },
        // Pre-bundled before the first test (a dependency found later, asc in the compiler
        // worker for one, would make Vite re-optimize and reload the page mid-run).
        optimizeDeps: { include: ['assemblyscript/asc', 'acorn', 'fast-check', 'ndarray'] },
        test: {
          name: 'browser',
          include: BROWSER_SUITES,
          // The kernel-language suites compile one big module each in a beforeAll, with asc in
          // a browser worker: 83 s for control-flow.test.ts alone on the loaded 2-core machine,
          // past 120 s when every project runs at once.
          hookTimeout: 300_000,
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
