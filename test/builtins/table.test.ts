/**
 * The built-in ufunc table (src/builtins/ufunc-table.ts) against NumPy 2.4's ufunc objects
 * (test/fixtures/ufunc-meta.json, written by scripts/ufunc-fixtures.py from the table's
 * list): every row is exported as `nb.<name>` (NumPy's name in camelCase), its attributes
 * equal NumPy's, and its loops are NumPy's loops in NumPy's order (the order is semantics:
 * NumPy's `check_td_order`). Also checks that the generated sources (AS loops, named
 * exports, the ufunc list, the result types) are what the generator makes of the table now, as
 * `npm run generate:check` does. No list of ufuncs is kept here: the table is the list.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { UFUNC_TABLE, type UfuncName } from '../../src/builtins/ufunc-table.js';
import { allLoops, loopById, loopsOf } from '../../src/builtins/loop-registry.js';
import { DTYPES, type DType } from '../../src/dtype/dtypes.js';
import { generatedFiles } from '../../scripts/generate.js';
import { loadFixture } from '../helpers/fixtures.js';

interface MetaRow {
  name: string;
  numpy: string;
  nin: number;
  nout: number;
  nargs: number;
  ntypes: number;
  types: string[];
  identity: unknown;
  identityType: 'int' | 'float' | 'bool' | null;
  reorderable: boolean | null;
  signature: string | null;
}

const metaFile = loadFixture<{ ufuncs: MetaRow[]; numpyElementwise: string[] }>('ufunc-meta');
const meta = metaFile.ufuncs;

/** The elementwise ufuncs of the fixture (matmul and vecdot are gufuncs, built elsewhere). */
const elementwise = meta.filter((m) => m.signature === null);
const NAMES = Object.keys(UFUNC_TABLE) as UfuncName[];

/** NumPy's name in camelCase (API.md: `floor_divide` is `nb.floorDivide`). */
const camel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** NumPy's identity as numbats holds it ('-inf' is stored as a string in the fixture). */
function identityOf(m: MetaRow): unknown {
  if (m.identity === null) return null;
  if (m.identityType === 'float') return m.identity === '-inf' ? -Infinity : m.identity === 'inf' ? Infinity : Number(m.identity);
  if (m.identityType === 'bool') return Boolean(m.identity);
  return m.identity;
}

/** NumPy 2's comparison loops for mixed-sign 64-bit integers (exact, not via float64). */
const MIXED_SIGN_LOOPS = new Set(['int64,uint64->bool', 'uint64,int64->bool']);

/** NumPy's loop order on numbats' dtypes: its type numbers, compared loop by loop (check_td_order). */
function orderKey(types: string): number[] {
  const [i, o] = types.split('->');
  return [...i!.split(','), ...o!.split(',')].map((d) => DTYPES[d as DType].code);
}

describe('the built-in ufunc table', () => {
  it("names every row as NumPy's name in camelCase", () => {
    for (const name of NAMES) expect(name).toBe(camel(UFUNC_TABLE[name].numpy));
  });

  it('has a row for every elementwise ufunc NumPy has over numbats\' dtypes, and nothing else', () => {
    // numpyElementwise: every np.ufunc with signature None and a loop over numbats' dtypes
    // (NumPy's own list, read by scripts/ufunc-fixtures.py; isnat, datetime-only, is not in it).
    expect(NAMES.map((n) => UFUNC_TABLE[n].numpy).sort()).toEqual(metaFile.numpyElementwise);
  });

  it('is what the NumPy fixture was made from (else rerun scripts/ufunc-fixtures.py)', () => {
    expect(elementwise.map((m) => m.name)).toEqual(NAMES);
  });

  it.each(NAMES)('exports nb.%s as a callable ufunc', (name) => {
    const f = (nb as unknown as Record<string, unknown>)[name];
    expect(typeof f).toBe('function');
  });

  describe.each(elementwise.map((m) => [m.name, m] as const))('%s', (name, m) => {
    const f = (nb as unknown as Record<string, nb.Ufunc>)[name]!;
    const row = UFUNC_TABLE[name as UfuncName];

    it("has NumPy's name, nin, nout, nargs, ntypes, identity and signature", () => {
      expect(f.name).toBe(m.numpy);
      expect(row.numpy).toBe(m.numpy);
      expect(f.nin).toBe(m.nin);
      expect(f.nout).toBe(m.nout);
      expect(f.nargs).toBe(m.nargs);
      expect(f.ntypes).toBe(m.ntypes);
      expect(f.identity).toEqual(identityOf(m));
      expect(f.signature).toBe(m.signature);
    });

    it("has NumPy's loops in NumPy's order", () => {
      expect([...f.types]).toEqual(m.types);
      expect(loopsOf(name as UfuncName).map((l) => l.types)).toEqual(m.types);
    });

    it('lists its loops sorted as NumPy sorts them', () => {
      // generate_umath.py's loops are sorted by type number (check_td_order); the mixed
      // int64/uint64 comparison loops are registered after them, outside that order.
      const keys = m.types.filter((t) => !MIXED_SIGN_LOOPS.has(t)).map(orderKey);
      for (let k = 1; k < keys.length; k++) {
        const [prev, cur] = [keys[k - 1]!, keys[k]!];
        const firstDiff = prev.findIndex((v, i) => v !== cur[i]);
        expect(firstDiff, `${m.types[k - 1]} before ${m.types[k]}`).toBeGreaterThanOrEqual(0);
        // NumPy's order is by type number of the first differing operand.
        expect(prev[firstDiff]!, `${m.types[k - 1]} before ${m.types[k]}`).toBeLessThan(cur[firstDiff]!);
      }
    });

    it("is reorderable exactly when NumPy's reduce over several axes is", () => {
      // NumPy answers None for ufuncs that cannot reduce (unary, two outputs, ldexp's mixed
      // input types): numbats' row says false for those.
      expect(row.reorderable).toBe(m.reorderable === true);
    });

    it('gives reduce kinds only to binary loops whose operands share one dtype', () => {
      for (const l of loopsOf(name as UfuncName)) {
        if (l.row.reduce === undefined) continue;
        expect(l.ins).toHaveLength(2);
        expect(new Set([...l.ins, ...l.outs]).size).toBe(1);
      }
    });
  });

  it('numbers the loops in table order', () => {
    const all = allLoops();
    expect(all.map((l) => l.id)).toEqual(all.map((_, i) => i));
    const names = Object.keys(UFUNC_TABLE) as UfuncName[];
    expect(all.map((l) => l.ufunc)).toEqual(names.flatMap((n) => UFUNC_TABLE[n].loops.map(() => n)));
    expect(all.map((l) => l.types)).toEqual(names.flatMap((n) => UFUNC_TABLE[n].loops.map((r) => r.types)));
  });

  it('finds every loop by its id (the parallel target looks built-in loops up so), and no other id', () => {
    const all = allLoops();
    for (const l of all) expect(loopById(l.id)).toBe(l);
    for (const id of [-1, all.length, 0.5, NaN]) expect(loopById(id)).toBeUndefined();
  });

  it.each(Object.keys(UFUNC_TABLE))("%s's doc example gives the result its comment states", (name) => {
    // `nb.f(...).toArray(); // [..]` or `const [x, y] = nb.f(...); // x: [..], y: [..]`
    const example = UFUNC_TABLE[name as UfuncName].example;
    const [code, comment] = example.split(' // ') as [string, string];
    const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(', ')}]` : typeof v === 'bigint' ? `${v}n` : String(v));
    const pair = /^const \[(\w+), (\w+)\] = (.*);$/.exec(code);
    if (pair !== null) {
      const [x, y] = new Function('nb', `return ${pair[3]}`)(nb) as nb.NDArray[];
      expect(`${pair[1]}: ${show(x!.toArray())}, ${pair[2]}: ${show(y!.toArray())}`).toBe(comment);
    } else {
      expect(show(new Function('nb', `return ${code.replace(/;$/, '')}`)(nb))).toBe(comment);
    }
  });

  it('has a one-line doc and an example for every row', () => {
    for (const [name, row] of Object.entries(UFUNC_TABLE)) {
      expect(row.doc.length, name).toBeGreaterThan(10);
      expect(row.doc, name).not.toContain('\n');
      expect(row.example, name).toMatch(/^(const .*= )?nb\.\w+\(/);
    }
  });
});

describe('the generated sources', () => {
  it('are current: the generator makes exactly the committed files from the table', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files = generatedFiles();
    expect(files.size).toBe(NAMES.length + 5); // one per ufunc, the switch, the exports, the list, the result types, the math library's AS source
    for (const [path, content] of files) {
      const onDisk = readFileSync(root + path, 'utf8');
      expect(onDisk === content, `${path} is stale; run \`npm run generate\``).toBe(true);
    }
  });

  it('export one documented ufunc per row', () => {
    const exportsSrc = generatedFiles().get('src/builtins/generated/exports.ts')!;
    for (const name of Object.keys(UFUNC_TABLE)) {
      expect(exportsSrc).toContain(`export const ${name} = makeBuiltin('${name}');`);
    }
  });
});
