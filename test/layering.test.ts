// The layering of src/ (issue 12): no import circle and no import from a lower layer to a
// higher one, checked with dependency-cruiser and the rules in .dependency-cruiser.cjs.
// The second block plants a circle and an upward import in a scratch tree and checks that the
// same rules catch them, so a silently broken config cannot make the first block pass.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

interface CruiseSummary {
  violations: Violation[];
  totalCruised: number;
}

/** Runs dependency-cruiser over `src` in `cwd` with that folder's .dependency-cruiser.cjs. */
function cruise(cwd: string): CruiseSummary {
  const r = spawnSync(process.execPath, [cli, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 && !r.stdout) throw new Error(`dependency-cruiser failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { summary: CruiseSummary }).summary;
}

/** Every .ts file under `dir`. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const describeViolation = (v: Violation) =>
  `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

describe('layering of src/', () => {
  it('has no import circle and no upward import', () => {
    const summary = cruise(root);
    expect(summary.totalCruised).toBeGreaterThan(100);
    expect(summary.violations.map(describeViolation)).toEqual([]);
  });

  it('no core layer names src/gpu or src/parallel, and no storage is forced with `as never`', () => {
    // A plain text scan, independent of dependency-cruiser: also catches dynamic import().
    const coreDirs = ['ndarray', 'ufunc', 'builtins', 'compiler', 'dtype', 'runtime', 'util', 'broadcast'];
    const targetImport = /(from|import\()\s*['"](\.\.\/)+(gpu|parallel)\//;
    const offending: string[] = [];
    for (const d of coreDirs) {
      for (const f of walk(join(root, 'src', d))) {
        if (targetImport.test(readFileSync(f, 'utf8'))) offending.push(f.slice(root.length));
      }
    }
    expect(offending).toEqual([]);
    const forced = walk(join(root, 'src')).filter((f) => /[Ss]torage\b[^\n]*as never/.test(readFileSync(f, 'utf8')));
    expect(forced.map((f) => f.slice(root.length))).toEqual([]);
  });
});

describe('the layering check itself', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'numbats-layering-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function plant(files: Record<string, string>): void {
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(scratch, '.dependency-cruiser.cjs'));
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(scratch, path, '..'), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
  }

  it('fails on a planted circle and a planted upward import', () => {
    plant({
      'src/ufunc/a.ts': "import { b } from './b.js';\nexport const a = () => b();\n",
      'src/ufunc/b.ts': "import { a } from './a.js';\nexport const b = (): number => (a ? 1 : 0);\n",
      'src/ndarray/up.ts': "import { g } from '../gpu/g.js';\nexport const up = g;\n",
      'src/gpu/g.ts': 'export const g = 1;\n',
      'src/gpu/side.ts': "import { p } from '../parallel/p.js';\nexport const side = p;\n",
      'src/parallel/p.ts': 'export const p = 2;\n',
    });
    const rules = cruise(scratch).violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'no-circular src/ufunc/a.ts -> src/ufunc/b.ts',
        'no-upward-from-ndarray-interop src/ndarray/up.ts -> src/gpu/g.ts',
        'no-sideways-from-gpu src/gpu/side.ts -> src/parallel/p.ts',
      ]),
    );
  });

  it('a type-only import closes a circle too', () => {
    plant({
      'src/dtype/t1.ts': "import type { T2 } from './t2.js';\nexport interface T1 { x?: T2 }\n",
      'src/dtype/t2.ts': "import type { T1 } from './t1.js';\nexport interface T2 { y?: T1 }\n",
    });
    const circles = cruise(scratch).violations.filter((v) => v.rule.name === 'no-circular' && v.from.startsWith('src/dtype/'));
    expect(circles.length).toBeGreaterThan(0);
  });
});
