/**
 * The JS tier of a jit specialisation (API.md "Kernel factories": a call made before the
 * Wasm code is ready runs the same kernel compiled to JS): the JS reference that
 * compileJit emits from the same typed IR (`k.jsFunction`), called with the Wasm entry's
 * own arguments, so that call.ts's marshalling, allocations, tuples and copies are the same
 * for both tiers and a specialisation switches tier by swapping one function.
 *
 * The Wasm arguments are, per array parameter, its byte address and byte strides (one per
 * axis; TypedArrays one), per scalar its Wasm value (BigInt for int64/uint64, 1/0 for bool),
 * then the size of every array axis. The JS reference takes per array (heap view, element
 * offset, element strides...), per scalar its JS value (bigints for 64-bit integers,
 * booleans for bool), then the same sizes; its bool result becomes 1/0 as Wasm's.
 * Arrays specialised as contiguous (`[:, ::1]`, TypedArrays) get a unit inner stride, as the
 * Wasm entry's constant.
 * A failed bounds check or scratch allocation is the same IndexError / ValueError as on
 * the Wasm tier (src/vectorize/trap.ts boundsErrors); results are the emitter's (the
 * differential fuzzer's oracle): integer and IEEE arithmetic exact, transcendentals
 * within the documented ULP.
 */
import type { CompiledJit } from '../compiler/index.js';
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { heapView } from '../vectorize/js-tier.js';
import { boundsErrors } from '../vectorize/trap.js';

/** How the JS tier converts one Wasm argument slot. */
type Slot =
  | { readonly kind: 'ptr'; readonly dtype: DType; readonly item: number }
  | { readonly kind: 'stride'; readonly item: number; readonly unit: boolean }
  | { readonly kind: 'scalar'; readonly dtype: DType }
  | { readonly kind: 'size' };

function slots(k: CompiledJit): Slot[] {
  const out: Slot[] = [];
  let sizes = 0;
  for (const t of k.args) {
    if (t.kind === 'scalar') { out.push({ kind: 'scalar', dtype: t.dtype }); continue; }
    const item = DTYPES[t.dtype].itemSize;
    const ndim = t.kind === 'typed' ? 1 : t.ndim;
    const contiguous = t.kind === 'typed' || t.contiguous;
    out.push({ kind: 'ptr', dtype: t.dtype, item });
    for (let d = 0; d < ndim; d++) out.push({ kind: 'stride', item, unit: contiguous && d === ndim - 1 });
    sizes += ndim;
  }
  for (let d = 0; d < sizes; d++) out.push({ kind: 'size' });
  return out;
}

function scalar(v: unknown, t: DType): unknown {
  switch (t) {
    case 'bool': return v !== 0;
    case 'int64': return BigInt.asIntN(64, v as bigint);
    case 'uint64': return BigInt.asUintN(64, v as bigint);
    default: return v;
  }
}

/**
 * The JS tier's entry of specialisation `k`: takes the Wasm entry's arguments and returns
 * its result as the Wasm entry would.
 *
 * @example
 * ```ts
 * const run = jsJitRun(k); // then callJit({ kernel: k, run, exports: {}, arenaBytes }, args)
 * ```
 */
export function jsJitRun(k: CompiledJit): (...wasmArgs: unknown[]) => unknown {
  const plan = slots(k);
  const fn = k.jsFunction;
  const boolResult = k.returns === 'bool';
  const run = (...a: unknown[]): unknown => {
    const js: unknown[] = [];
    for (let i = 0; i < plan.length; i++) {
      const s = plan[i]!;
      const v = a[i];
      switch (s.kind) {
        case 'ptr': js.push(heapView(s.dtype), (v as number) / s.item); break;
        case 'stride': js.push(s.unit ? 1 : (v as number) / s.item); break;
        case 'scalar': js.push(scalar(v, s.dtype)); break;
        case 'size': js.push(v); break;
      }
    }
    const out = fn(...js);
    return boolResult ? (out ? 1 : 0) : out;
  };
  // (a JS scratch array has no arena: only a negative length traps)
  return k.bounds.length > 0 || k.scratch.length > 0 ? boundsErrors(run, k) : run;
}
