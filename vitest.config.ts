import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The heap is one process-wide shared WebAssembly.Memory; forks keep each test file in
    // its own process so heap-pressure tests cannot disturb each other.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
