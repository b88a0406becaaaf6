/** Types of scripts/platform-seams.mjs (vitest.config.ts imports it). */
export function browserTwin(spec: string, importer: string | undefined): string | undefined;
export function esbuildSeams(): { name: string; setup(build: unknown): void };
export function viteSeams(): { name: string; enforce: 'pre'; resolveId(source: string, importer?: string): string | undefined };
