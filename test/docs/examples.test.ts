/**
 * The documentation's examples run, so they cannot rot: every ```ts block of the TSDoc
 * `@example` tags of the public API (what src/index.ts exports, and the public members of
 * exported classes), of the guide pages (docs/guide/*.md) and of README.md; where a block
 * states what a console.log prints (`// output` after it, or comment lines below it for a
 * multi-line repr), the printed text is compared with it.
 *
 * How a block runs: TypeScript's `transpileModule` turns it into CommonJS; it runs as the
 * body of an async function with `nb` (the package, from src/index.ts) in scope, and with
 * `require('numbats')` mapped to it, so `import * as nb from 'numbats'` works as written.
 * Each block runs alone (its own scope). Markers, in a comment inside the block:
 * - `// example-only`: a fragment that cannot run (e.g. it needs the user's files); it is
 *   skipped and counted — the count is printed and kept small by a test.
 * - `// requires: gpu`: runs only when a WebGPU adapter exists; skipped visibly otherwise.
 * Also checked: every exported function, and every public method of an exported class,
 * has an `@example`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const requireFromRoot = createRequire(join(root, 'package.json'));

interface Example { where: string; code: string }

function codeBlocks(text: string): string[] {
  const out: string[] = [];
  const re = /```(?:ts|typescript)\s*\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/** The public API's @example blocks, and the functions/methods that have none. */
function apiExamples(): { examples: Example[]; missing: string[] } {
  const program = ts.createProgram([join(root, 'src/index.ts')], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowJs: false, noEmit: true });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(join(root, 'src/index.ts'))!;
  const mod = checker.getSymbolAtLocation(sf)!;
  const examples: Example[] = [];
  const missing: string[] = [];
  const seen = new Set<ts.Node>();
  // The raw comment is read (not ts.getJSDocTags): a decorator `@nb.vectorize` inside a
  // code fence would otherwise be taken for a new tag and cut the example short.
  const collect = (decl: ts.Node, where: string): number => {
    let n = 0;
    for (const doc of ts.getJSDocCommentsAndTags(decl)) {
      if (!ts.isJSDoc(doc)) continue;
      const text = doc.getText().replace(/^\/\*\*|\*\/$/g, '').split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
      const at = text.search(/^@example\b/m);
      if (at < 0) continue;
      for (const code of codeBlocks(text.slice(at))) { examples.push({ where, code }); n++; }
    }
    return n;
  };
  for (const exp of checker.getExportsOfModule(mod)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const name = exp.getName();
    for (const decl of sym.declarations ?? []) {
      if (seen.has(decl)) continue;
      seen.add(decl);
      // Variable statements carry the JSDoc, not the declaration.
      const host = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
      const n = collect(host, name);
      const isFunction = ts.isFunctionDeclaration(decl) ||
        (ts.isVariableDeclaration(decl) && !!(sym.flags & ts.SymbolFlags.Value) && checker.getTypeOfSymbolAtLocation(sym, decl).getCallSignatures().length > 0);
      // An overloaded function's implementation is not public: its overloads carry the docs.
      const overloadDocs = (sym.declarations ?? []).filter((d) => d !== decl && ts.isFunctionDeclaration(d)).reduce((k, d) => k + (ts.getJSDocCommentsAndTags(d).some((x) => ts.isJSDoc(x) && /@example\b/.test(x.getText())) ? 1 : 0), 0);
      if (isFunction && n === 0 && overloadDocs === 0 && !(ts.isFunctionDeclaration(decl) && !decl.body)) missing.push(name);
      if (ts.isClassDeclaration(decl)) {
        for (const m of decl.members) {
          const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
          if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
          if (ts.getJSDocTags(m).some((t) => t.tagName.text === 'internal')) continue;
          const mname = m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) ? m.name.text : m.name ? m.name.getText() : 'constructor';
          if (mname.startsWith('#') || mname.startsWith('_')) continue;
          const k = collect(m, `${name}.${mname}`);
          if (ts.isMethodDeclaration(m) && m.body && k === 0) missing.push(`${name}.${mname}`);
        }
      }
    }
  }
  return { examples, missing };
}

function guideExamples(): Example[] {
  const dir = join(root, 'docs/guide');
  const out: Example[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.md')).sort()) {
    codeBlocks(readFileSync(join(dir, f), 'utf8')).forEach((code, i) => out.push({ where: `docs/guide/${f} block ${i + 1}`, code }));
  }
  // The README's blocks are documentation too (the quick start is what a user runs first).
  codeBlocks(readFileSync(join(root, 'README.md'), 'utf8')).forEach((code, i) => out.push({ where: `README.md block ${i + 1}`, code }));
  return out;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/**
 * A one-line statement commented `// throws` (optionally `// throws ShapeError ...`) must
 * throw (that error class): the example's claim is checked, and the block runs on.
 */
function checkThrows(code: string): string {
  return code.split('\n').map((line) => {
    const m = /^(\s*)(.+?);?\s*\/\/\s*throws\b\s*(\w+)?/.exec(line);
    if (!m || /^\s*\/\//.test(line)) return line;
    const cls = m[3] && m[3] in nb ? `nb.${m[3]}` : 'Error';
    return `${m[1]}{ let __threw = false; try { ${m[2]}; } catch (e) { if (!(e instanceof ${cls})) throw e; __threw = true; } ` +
      `if (!__threw) throw new Error(${JSON.stringify(`expected to throw: ${m[2]!.trim()}`)}); }`;
  }).join('\n');
}

/** Examples that need a WebGPU adapter: marked, or calling the gpu API. */
const needsGpu = (code: string) => /\/\/\s*requires:\s*gpu|toGpu\(|target:\s*'gpu'|gpuInfo\(/.test(code);

/**
 * Examples in files this test's authors may not edit, broken at the time of writing: listed
 * (and printed) rather than silently skipped. Remove an entry once its example is fixed.
 */
const KNOWN_BROKEN: Record<string, string> = {};
const knownBroken = (where: string) => Object.keys(KNOWN_BROKEN).find((k) => where.startsWith(k));

/**
 * The outputs a block states, by line: a one-line `console.log(...);` followed on the same
 * line by `// output`, or followed by comment-only lines holding a multi-line output (a
 * repr). Those calls are rewritten to `__stated(k, ...)` so that each printed output is
 * compared with its own statement; console.log lines that state nothing just run.
 */
function instrument(code: string): { code: string; stated: string[] } {
  const lines = code.split('\n');
  const stated: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)console\.log\((.*?)\);?[ \t]*(?:\/\/[ \t]*(.*))?$/.exec(lines[i]!);
    if (!m || m[2]!.includes('console.log(')) continue;
    let text = m[3]?.trim();
    if (text === undefined || text === '') {
      const below: string[] = [];
      for (let j = i + 1; j < lines.length && /^\s*\/\/ ?/.test(lines[j]!); j++) below.push(lines[j]!.replace(/^\s*\/\/ ?/, ''));
      if (below.length === 0) continue;
      text = below.join('\n');
    }
    lines[i] = `${m[1]}__stated(${stated.length}, ${m[2]});`;
    stated.push(text);
  }
  return { code: lines.join('\n'), stated };
}

/**
 * Runs a block; the outputs it states (see {@link instrument}) are compared with what it
 * prints (node's console formatting): a printed output in the docs is checked, not only run.
 */
async function runExample(source: string): Promise<void> {
  const { code, stated } = instrument(checkThrows(source));
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    reportDiagnostics: false,
  }).outputText;
  const req = (id: string) => (id === 'numbats' ? nb : requireFromRoot(id));
  const exports = {};
  const printed: (string | undefined)[] = stated.map(() => undefined);
  const record = (k: number, ...a: unknown[]) => { printed[k] = format(...a); };
  // In a block, so that the example's own `import * as nb` (a `const nb`) shadows the parameter.
  await new AsyncFunction('nb', 'require', 'exports', 'module', '__stated', `{\n${js}\n}`)(nb, req, exports, { exports }, record);
  expect(printed).toEqual(stated);
}

const api = apiExamples();
const guide = guideExamples();
const all = [...api.examples, ...guide];
const exampleOnly = all.filter((e) => /\/\/\s*example-only/.test(e.code));
const hasGpu = await nb.gpuAvailable().catch(() => false);
const gpuOnly = all.filter((e) => needsGpu(e.code));

afterAll(async () => {
  console.log(
    `doc examples: ${api.examples.length} from TSDoc, ${guide.length} from docs/guide; ` +
      `${exampleOnly.length} marked example-only (not run): ${exampleOnly.map((e) => e.where).join(', ') || 'none'}; ` +
      `${gpuOnly.length} need a GPU${hasGpu ? '' : ' (skipped: no WebGPU adapter)'}; ` +
      `known broken (not run): ${Object.values(KNOWN_BROKEN).join('; ') || 'none'}`,
  );
  await nb.shutdown();
});

describe('every public function has a TSDoc @example', () => {
  it('lists none without one', () => {
    expect(api.missing).toEqual([]);
  });
  it('keeps example-only fragments rare', () => {
    expect(exampleOnly.length).toBeLessThanOrEqual(3);
  });
});

describe('docs/guide/07-kernel-language.md', () => {
  it('lists every code of nb.KERNEL_DIAGNOSTICS, and no other', () => {
    const page = readFileSync(join(root, 'docs/guide/07-kernel-language.md'), 'utf8');
    const listed = [...page.matchAll(/^\| `(NB\d{4})` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(nb.KERNEL_DIAGNOSTICS));
  });
});

describe('TSDoc @example blocks run', () => {
  api.examples.forEach((e, i) => {
    const skip = /\/\/\s*example-only/.test(e.code) || (needsGpu(e.code) && !hasGpu) || knownBroken(`${e.where} #${i}`) !== undefined;
    it.skipIf(skip)(`${e.where} #${i}`, async () => { await runExample(e.code); });
  });
});

describe('docs/guide code blocks run', () => {
  for (const e of guide) {
    const skip = /\/\/\s*example-only/.test(e.code) || (needsGpu(e.code) && !hasGpu);
    it.skipIf(skip)(e.where, async () => { await runExample(e.code); });
  }
});
