/**
 * Typed results of the built-in ufuncs (issue 18 item 2; src/builtins/typed-ufunc.ts).
 * Two halves, so that the types and what calls do cannot drift apart:
 *   - named cases: each call's static type (`expectTypeOf`, checked by `npm run typecheck`)
 *     and its run-time dtype (`dtypeOf` takes the dtype as the static type's parameter, so a
 *     wrong static dtype is a compile error and a wrong run-time one a failure);
 *   - every built-in ufunc, every dtype: the generated rules the types are read from
 *     (scripts/codegen/emit-result-types.ts) against real calls, with arrays alone and with
 *     weak JS integers and floats in every position.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as nb from '../../src/index.js';
import { DTYPE_NAMES, type DType } from '../../src/dtype/dtypes.js';
import { UFUNC_TABLE, type UfuncName } from '../../src/builtins/ufunc-table.js';
import { NumbatsError } from '../../src/util/errors.js';
import { resultTypeRules, type ResultMap } from '../../scripts/codegen/emit-result-types.js';

/** The run-time dtype of `r`, which must be its static one. */
function dtypeOf<D extends DType>(r: nb.NDArray<D>, d: NoInfer<D>): void {
  expect(r.dtype).toBe(d);
}

const f32 = nb.array([1, 4], 'float32');
const f64 = nb.array([1, 4], 'float64');
const i32 = nb.array([1, 4], 'int32');
const i8 = nb.array([1, 4], 'int8');
const u64 = nb.array([1, 4], 'uint64');
const b = nb.array([true, false], 'bool');

describe('typed ufunc results', () => {
  it('arrays of one dtype: the dtype of the loop the dispatcher picks', () => {
    const sum32 = nb.add(f32, f32);
    expectTypeOf(sum32).toEqualTypeOf<nb.NDArray<'float32'>>();
    dtypeOf(sum32, 'float32');
    const sumI = nb.add(i32, i32);
    expectTypeOf(sumI).toEqualTypeOf<nb.NDArray<'int32'>>();
    dtypeOf(sumI, 'int32');
    const sumB = nb.add(b, b); // NumPy: add on bool is logical or
    expectTypeOf(sumB).toEqualTypeOf<nb.NDArray<'bool'>>();
    dtypeOf(sumB, 'bool');
    const q = nb.divide(i32, i32); // true division
    expectTypeOf(q).toEqualTypeOf<nb.NDArray<'float64'>>();
    dtypeOf(q, 'float64');
    const q32 = nb.divide(f32, f32);
    expectTypeOf(q32).toEqualTypeOf<nb.NDArray<'float32'>>();
    dtypeOf(q32, 'float32');
    const fd = nb.floorDivide(i8, i8);
    expectTypeOf(fd).toEqualTypeOf<nb.NDArray<'int8'>>();
    dtypeOf(fd, 'int8');
    const lt = nb.less(f32, f32);
    expectTypeOf(lt).toEqualTypeOf<nb.NDArray<'bool'>>();
    dtypeOf(lt, 'bool');
    const nan = nb.isnan(f64);
    expectTypeOf(nan).toEqualTypeOf<nb.NDArray<'bool'>>();
    dtypeOf(nan, 'bool');
    const and = nb.logicalAnd(i32, i32);
    expectTypeOf(and).toEqualTypeOf<nb.NDArray<'bool'>>();
    dtypeOf(and, 'bool');
    const bits = nb.bitwiseAnd(u64, u64);
    expectTypeOf(bits).toEqualTypeOf<nb.NDArray<'uint64'>>();
    dtypeOf(bits, 'uint64');
  });

  it('float functions: floats keep their dtype, integers take the first float loop they fit', () => {
    const r32 = nb.sqrt(f32);
    expectTypeOf(r32).toEqualTypeOf<nb.NDArray<'float32'>>();
    dtypeOf(r32, 'float32');
    const rI = nb.sqrt(i32);
    expectTypeOf(rI).toEqualTypeOf<nb.NDArray<'float64'>>();
    dtypeOf(rI, 'float64');
    // NumPy: float16; numbats has none and takes the next loop, float32.
    const r8 = nb.sin(i8);
    expectTypeOf(r8).toEqualTypeOf<nb.NDArray<'float32'>>();
    dtypeOf(r8, 'float32');
  });

  it('two outputs: a tuple of typed arrays', () => {
    const [q, r] = nb.divmod(i32, i32);
    expectTypeOf(q).toEqualTypeOf<nb.NDArray<'int32'>>();
    dtypeOf(q, 'int32');
    dtypeOf(r, 'int32');
    const [m, e] = nb.frexp(f32);
    expectTypeOf(m).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(e).toEqualTypeOf<nb.NDArray<'int32'>>();
    dtypeOf(m, 'float32');
    dtypeOf(e, 'int32');
  });

  it('weak JS scalars (NEP 50): integers keep an integer dtype, floats promote it to float64', () => {
    const plus2 = nb.add(i32, 2);
    expectTypeOf(plus2).toEqualTypeOf<nb.NDArray<'int32'>>();
    dtypeOf(plus2, 'int32');
    const minus = nb.subtract(-2, i8);
    expectTypeOf(minus).toEqualTypeOf<nb.NDArray<'int8'>>();
    dtypeOf(minus, 'int8');
    const big = nb.multiply(u64, 3n);
    expectTypeOf(big).toEqualTypeOf<nb.NDArray<'uint64'>>();
    dtypeOf(big, 'uint64');
    const half = nb.add(i32, 2.5);
    expectTypeOf(half).toEqualTypeOf<nb.NDArray<'float64'>>();
    dtypeOf(half, 'float64');
    const tiny = nb.multiply(i32, 1e-3);
    expectTypeOf(tiny).toEqualTypeOf<nb.NDArray<'float64'>>();
    dtypeOf(tiny, 'float64');
    const f = nb.add(f32, 2.5);
    expectTypeOf(f).toEqualTypeOf<nb.NDArray<'float32'>>();
    dtypeOf(f, 'float32');
    const lt = nb.less(i8, 0.5);
    expectTypeOf(lt).toEqualTypeOf<nb.NDArray<'bool'>>();
    dtypeOf(lt, 'bool');
    // A `number` may be either: typed only where both give the same dtype.
    const k: number = Math.random() < 2 ? 3 : 0.5;
    expectTypeOf(nb.add(f32, k)).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(nb.add(i32, k)).toEqualTypeOf<nb.NDArray<nb.DType>>();
    expectTypeOf(nb.greater(i32, k)).toEqualTypeOf<nb.NDArray<'bool'>>();
  });

  it('options: out is the result; a literal dtype is the output dtype; where and casting change nothing', () => {
    const out = nb.zeros([2], 'float64');
    const r = nb.add(f32, f32, { out });
    expectTypeOf(r).toEqualTypeOf<nb.NDArray<'float64'>>();
    expect(r).toBe(out);
    const d = nb.add(i32, i32, { dtype: 'f8' });
    expectTypeOf(d).toEqualTypeOf<nb.NDArray<'float64'>>();
    dtypeOf(d, 'float64');
    const w = nb.multiply(f32, f32, { where: [true, false], casting: 'safe' });
    expectTypeOf(w).toEqualTypeOf<nb.NDArray<'float32'>>();
    dtypeOf(w, 'float32');
    const [o1, o2] = [nb.zeros([2], 'float32'), nb.zeros([2], 'float64')];
    const dm = nb.divmod(f32, f32, { out: [o1, o2] });
    expectTypeOf(dm).toEqualTypeOf<[nb.NDArray<'float32'>, nb.NDArray<'float64'>]>();
    expect(dm[1]).toBe(o2);
  });

  it('anything else is NDArray<DType>: mixed dtypes, nested arrays, scalars alone, signature=', () => {
    const mixed = nb.add(i32, f32);
    expectTypeOf(mixed).toEqualTypeOf<nb.NDArray<nb.DType>>();
    expect(mixed.dtype).toBe('float64');
    expectTypeOf(nb.add([1, 2], i32)).toEqualTypeOf<nb.NDArray<nb.DType>>();
    expectTypeOf(nb.add(1, 2)).toEqualTypeOf<nb.NDArray<nb.DType>>();
    expectTypeOf(nb.add(f32, f32, { signature: 'float64,float64->float64' })).toEqualTypeOf<nb.NDArray<nb.DType>>();
    const loose: nb.NDArray = f32;
    expectTypeOf(nb.sqrt(loose)).toEqualTypeOf<nb.NDArray<nb.DType>>();
    const options: nb.UfuncOptions = {};
    expectTypeOf(nb.add(f32, f32, options)).toEqualTypeOf<nb.NDArray<nb.DType>>();
    // Still a plain Ufunc where one is expected.
    expectTypeOf(nb.add).toExtend<nb.Ufunc>();
    expectTypeOf(nb.divmod).toExtend<nb.Ufunc2>();
  });
});

type Call = (...args: unknown[]) => nb.NDArray | nb.NDArray[];

/** The output dtypes of a call, or null when it throws a numbats error. */
function outsOf(f: Call, args: unknown[]): string | null {
  try {
    const r = f(...args);
    return (Array.isArray(r) ? r : [r]).map((a) => a.dtype).join(',');
  } catch (e) {
    if (e instanceof NumbatsError) return null;
    throw e;
  }
}

describe('the generated result rules', () => {
  const rules = resultTypeRules();
  const names = Object.keys(UFUNC_TABLE) as UfuncName[];

  it.each(names)('%s: the rules are what calls give, for every dtype', (name) => {
    const f = (nb as unknown as Record<string, Call>)[name]!;
    const r = rules.get(name)!;
    const nin = UFUNC_TABLE[name].nin;
    const key = (m: ResultMap, d: DType) => (m[d] === null ? null : m[d].join(','));
    for (const d of DTYPE_NAMES) {
      const x = nb.ones([2], d);
      expect(outsOf(f, Array(nin).fill(x)), `${name}(${d} x${nin})`).toBe(key(r.same, d));
      if (nin === 1) continue;
      for (const [weak, m] of [[1, r.int!], [0.5, r.float!]] as const) {
        const got = [outsOf(f, [x, weak]), outsOf(f, [weak, x])];
        const want = key(m, d);
        if (want !== null) {
          // Every placement with a loop gives the rule's dtypes.
          for (const g of got) if (g !== null) expect(g, `${name}(${d}, ${weak}) either way`).toBe(want);
        } else {
          // No rule: no placement has a loop, or the placements disagree.
          const ok = got.filter((g) => g !== null);
          expect(ok.length === 0 || new Set(ok).size > 1, `${name}(${d}, ${weak}): ${got.join(' / ')}`).toBe(true);
        }
      }
    }
  });
});
