// The platform seams (issue 17): Node's modules are imported only by `*.node.ts` files, each
// of which has a browser twin `*.browser.ts` beside it with the same exports, so that the
// browser builds (scripts/platform-seams.mjs swaps a seam for its twin) get every name the
// core imports. Files that exist only in browsers (the compiler worker's script) may stand alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { browserTwin } from '../scripts/platform-seams.mjs';

const root = new URL('..', import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = walk(join(root, 'src'));
const seams = files.filter((f) => f.endsWith('.node.ts'));

const twins = seams.map((s) => s.replace(/\.node\.ts$/, '.browser.ts'));

/** Names a module exports (values and types), from one type-checker pass over the seams and twins. */
const exportNames = (() => {
  const program = ts.createProgram([...seams, ...twins], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, types: ['node', '@webgpu/types'] });
  const checker = program.getTypeChecker();
  return (file: string): string[] => {
    const sf = program.getSourceFile(file);
    const sym = sf && checker.getSymbolAtLocation(sf);
    return sym ? checker.getExportsOfModule(sym).map((x) => x.name).sort() : [];
  };
})();

describe('platform seams', () => {
  it('no file of src/ but a *.node.ts seam imports a node: module', () => {
    const offenders = files
      .filter((f) => !f.endsWith('.node.ts'))
      .filter((f) => /(?:\bfrom\s*|\bimport\s*\(\s*)['"]node:/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(root.length));
    expect(offenders).toEqual([]);
  });

  it('there are seams, and each has a browser twin that the build plugin finds', () => {
    expect(seams.length).toBeGreaterThanOrEqual(8);
    for (const s of seams) {
      const twin = browserTwin(`./${s.split('/').pop()!.replace(/\.ts$/, '.js')}`, s);
      expect(twin, s).toBe(s.replace(/\.node\.ts$/, '.browser.ts'));
    }
  });

  it('each twin exports every name its seam exports (it may add its own types)', () => {
    for (const s of seams) {
      const names = exportNames(s);
      expect(names.length, s).toBeGreaterThan(0);
      expect(exportNames(s.replace(/\.node\.ts$/, '.browser.ts')), s).toEqual(expect.arrayContaining(names));
    }
  }, 120_000);
});
