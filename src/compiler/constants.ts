/**
 * `options.constants`: values a kernel reads by name, frozen when the kernel factory is
 * called, as Numba freezes a function's globals at compile time.
 *
 * Steps (factories call {@link kernelConstants} once, when `nb.vectorize(...)` etc. is
 * called; compileKernel and compileStencil call it again, which is idempotent):
 *   1. the record is a plain object; every key is a JavaScript identifier that is not a
 *      reserved word nor a global the kernel language gives a meaning (`Math`, `NaN`, ...),
 *      and no helper has the same name;
 *   2. every value is a number, a bigint, a boolean or a typed array (a read-only lookup
 *      table: {@link tableConstant} copies it); anything else is a TypeError naming the key;
 *   3. the values are copied into a frozen record, so mutating the user's object later
 *      changes nothing (the compile cache keys on the generated source, in which every
 *      value is printed: different constants never share a module);
 *   4. lowering (frontend/lower-expr.ts) resolves a free name to its constant after the
 *      kernel's own parameters and locals (a local of the same name wins, as in JavaScript),
 *      and before the globals; a scalar constant becomes an untyped `const` node, typed
 *      by the literal rule of ir/weak.ts ({@link constantExpr}); a table is read only by
 *      `name[i]`, `name.length` and `for (const v of name)`: a load from the program's
 *      table ({@link KernelTables}), its length a compile-time constant.
 *
 * Typing (the literal rule, decided by the value since a number cannot show its spelling):
 * an integer-valued number below 2^53 in magnitude is a weak int (as the literal `2`); any
 * other number (`0.5`, `-0`, `NaN`, `Infinity`, and integers from 2^53 on, which JavaScript
 * has already rounded) is a weak float; a bigint is a weak int of its exact value; a
 * boolean is a `bool`. A table's elements have its typed array's dtype (Float64Array →
 * float64, Int32Array → int32, BigInt64Array → int64, Uint8ClampedArray → uint8, ...).
 */
import type { DType } from '../dtype/dtypes.js';
import type { Expr, TableConst } from './ir/nodes.js';

/** A typed array of any element type (a read-only table constant). */
export type TypedArrayConstant =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** A value of `options.constants`. */
export type ConstantValue = number | bigint | boolean | TypedArrayConstant;

/** `options.constants`: names the kernel reads, and their values. */
export type KernelConstants = Readonly<Record<string, ConstantValue>>;

/** Names a constant may not take: reserved words, and globals the kernel language reads. */
const RESERVED_NAMES = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await',
  'Math', 'Number', 'Infinity', 'NaN', 'undefined', 'arguments', 'eval', 'isNaN', 'isFinite', '__name',
]);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

const frozen = new WeakSet<object>();

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function (pass functions in options.helpers)';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 20 ? `${v.slice(0, 17)}...` : v)})`;
  return typeof v === 'object' ? 'an object' : `${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}`;
}

/**
 * The one place a typed-array constant is checked and copied: the copy (`value.slice()`)
 * is what the kernel reads, so changing the user's array later changes nothing.
 */
function tableConstant(where: string, key: string, value: TypedArrayConstant): TypedArrayConstant {
  if (tableDType(value) === undefined) throw new TypeError(`${where}: constant '${key}' is a ${value.constructor.name}, which has no numbats dtype (tables are Float64Array, Float32Array, Int8..Int32Array, Uint8..Uint32Array, Uint8ClampedArray, BigInt64Array or BigUint64Array)`);
  return value.slice();
}

const TABLE_DTYPES: ReadonlyMap<string, DType> = new Map<string, DType>([
  ['Float64Array', 'float64'], ['Float32Array', 'float32'],
  ['Int8Array', 'int8'], ['Int16Array', 'int16'], ['Int32Array', 'int32'],
  ['Uint8Array', 'uint8'], ['Uint8ClampedArray', 'uint8'], ['Uint16Array', 'uint16'], ['Uint32Array', 'uint32'],
  ['BigInt64Array', 'int64'], ['BigUint64Array', 'uint64'],
]);

/**
 * The element dtype of a table constant (Uint8ClampedArray reads as uint8), or undefined
 * for a typed array numbats has no dtype for (Float16Array).
 *
 * @example
 * ```ts
 * tableDType(new Int32Array(4)); // 'int32'
 * ```
 */
export function tableDType(value: ArrayBufferView): DType | undefined {
  return TABLE_DTYPES.get(Object.prototype.toString.call(value).slice(8, -1));
}

/** A typed array constant (a table), as opposed to a scalar one. */
export const isTable = (v: ConstantValue | undefined): v is TypedArrayConstant => typeof v === 'object' && ArrayBuffer.isView(v);

/**
 * The tables one program reads, numbered in the order lowering first meets them (the kernel,
 * then its helpers): lowering asks {@link KernelTables.ref} for a table's number, and the
 * compiled program lists {@link KernelTables.list} as `IRProgram.tables`.
 */
export class KernelTables {
  readonly list: TableConst[] = [];
  private readonly byName = new Map<string, number>();

  /** The number of table `name` (its value `values`), added on first use. */
  ref(name: string, values: TypedArrayConstant): number {
    let k = this.byName.get(name);
    if (k === undefined) {
      k = this.list.length;
      const emitName = `__t${k}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      this.list.push({ name, emitName, dtype: tableDType(values)!, values });
      this.byName.set(name, k);
    }
    return k;
  }
}

/**
 * Check `options.constants` and copy it into a frozen record (undefined stays undefined).
 *
 * @param where - the caller for messages (`'nb.vectorize'`).
 * @param constants - the user's record.
 * @param helpers - helper names (a constant may not share one).
 * @throws TypeError naming the key: not an identifier, a reserved or global name, the name
 *   of a helper, or a value that is not a number, bigint or boolean.
 * @example
 * ```ts
 * const c = kernelConstants('nb.vectorize', { scale: 2.5, n: 3 });
 * Object.isFrozen(c); // true
 * ```
 */
export function kernelConstants(where: string, constants: unknown, helpers: Iterable<string> = []): KernelConstants | undefined {
  if (constants === undefined) return undefined;
  if (typeof constants !== 'object' || constants === null || Array.isArray(constants) || ArrayBuffer.isView(constants)) {
    throw new TypeError(`${where}: options.constants must be an object mapping names to values, e.g. { constants: { scale: 2.5 } }, got ${describe(constants)}`);
  }
  const helperNames = new Set(helpers);
  if (frozen.has(constants)) {
    for (const key of Object.keys(constants)) checkHelperClash(where, key, helperNames);
    return constants as KernelConstants;
  }
  const out: Record<string, ConstantValue> = {};
  for (const [key, value] of Object.entries(constants)) {
    if (!IDENTIFIER.test(key)) throw new TypeError(`${where}: constant name '${key}' is not a JavaScript identifier (a kernel reads a constant by name)`);
    if (RESERVED_NAMES.has(key)) throw new TypeError(`${where}: constant name '${key}' is reserved (a keyword or a global the kernel language reads); choose another name`);
    checkHelperClash(where, key, helperNames);
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') out[key] = value;
    else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) out[key] = tableConstant(where, key, value as TypedArrayConstant);
    else throw new TypeError(`${where}: constant '${key}' is ${describe(value)}; constants are numbers, bigints, booleans or typed arrays`);
  }
  Object.freeze(out);
  frozen.add(out);
  return out;
}

function checkHelperClash(where: string, key: string, helpers: ReadonlySet<string>): void {
  if (helpers.has(key)) throw new TypeError(`${where}: '${key}' is both a constant and a helper; give them different names`);
}

/**
 * The untyped IR node of a read of constant `name` at `at` (lowering), or undefined when
 * `value` is not a scalar (tables).
 *
 * @example
 * ```ts
 * constantExpr(0.5, 12); // { kind: 'const', value: 0.5, at: 12, type: null }
 * ```
 */
export function constantExpr(value: ConstantValue, at: number): Expr<null> | undefined {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    // No `float` mark: the value decides (ir/weak.ts weakOf): integral below 2^53 → int.
    return { kind: 'const', value, at, type: null };
  }
  return undefined;
}
