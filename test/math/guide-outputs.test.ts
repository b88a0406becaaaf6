/**
 * docs/guide/07-kernel-language.md, section "nb.math and built-in ufuncs in kernels": every
 * ```ts block runs (as test/docs/examples.test.ts runs them: TypeScript to CommonJS, `numbats`
 * mapped to the package) and prints exactly what its `console.log(...); // output` comments
 * state (node's console formatting), in order.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { format } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const page = readFileSync(new URL('../../docs/guide/07-kernel-language.md', import.meta.url), 'utf8');
const start = page.indexOf('## nb.math and built-in ufuncs in kernels');
const section = page.slice(start, page.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```ts\s*\n([\s\S]*?)```/g)].map((m) => m[1]!);
const hasGpu = await nb.gpuAvailable().catch(() => false);
const requireFromRoot = createRequire(new URL('../../package.json', import.meta.url));
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

afterAll(async () => { await nb.shutdown(); });

describe('guide: nb.math and built-in ufuncs in kernels', () => {
  it('has its four blocks', () => {
    expect(start).toBeGreaterThan(0);
    expect(blocks.length).toBe(4);
  });
  blocks.forEach((code, i) => {
    const gpu = /target: 'gpu'/.test(code);
    it.skipIf(gpu && !hasGpu)(`block ${i + 1} prints what its comments state${gpu ? ' (needs a GPU)' : ''}`, async () => {
      const stated = [...code.matchAll(/console\.log\(.*\);?\s*\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
      const printed: string[] = [];
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      const console = { log: (...a: unknown[]) => { printed.push(format(...a)); } };
      const req = (id: string) => (id === 'numbats' ? nb : requireFromRoot(id));
      await new AsyncFunction('nb', 'require', 'exports', 'module', 'console', `{\n${js}\n}`)(nb, req, {}, { exports: {} }, console);
      expect(printed).toEqual(stated);
      expect(stated.length).toBeGreaterThan(0);
    });
  });
});
