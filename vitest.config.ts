import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The heap is one process-wide shared WebAssembly.Memory; forks keep each test file in
    // its own process so heap-pressure tests cannot disturb each other.
    pool: 'forks',
    testTimeout: 60_000,
    // beforeAll hooks compile whole batches of kernels (test/compiler/arithmetic.test.ts):
    // on a loaded 2-core machine that passed vitest's 10 s default (seen twice this session).
    hookTimeout: 120_000,
  },
});
