/**
 * Name resolution for lowering: block scopes of let/const, parameters, and the names that
 * emitters print.
 *
 * Steps:
 *   1. entering a block registers its let/const names as *pending* (JavaScript's temporal
 *      dead zone: a use before the declaration is an error, not a read of an outer name);
 *   2. a declaration makes a fresh local (a unique id, so shadowing never reaches the IR);
 *   3. lookups walk scopes innermost first, then parameters;
 *   4. every parameter and local gets an emit name: its own name unless that is a reserved
 *      word of the emitted languages, starts with `__` (emitters' internal names do), or is
 *      taken, in which case a suffix makes it unique.
 */
import type { DType } from '../../dtype/dtypes.js';
import type { Local, ScratchArray } from '../ir/nodes.js';

/** Words no emitted user name may take: JS/AS keywords, AS builtins and types used in output. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'async',
  'abstract', 'declare', 'namespace', 'module', 'type', 'readonly', 'is', 'keyof', 'as', 'from', 'of', 'get', 'set',
  'bool', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'v128', 'usize', 'isize', 'string',
  'number', 'boolean', 'bigint', 'symbol', 'object', 'never', 'unknown', 'any', 'undefined', 'NaN', 'Infinity',
  'i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2', 'Math', 'Mathf', 'BigInt', 'Number', 'Object', 'Array',
  'load', 'store', 'abs', 'min', 'max', 'select', 'unreachable', 'memory', 'sizeof', 'alignof', 'offsetof',
  'changetype', 'assert', 'isInteger', 'isFloat', 'isSigned', 'isBoolean', 'trunc', 'floor', 'ceil', 'sqrt',
  'nearest', 'copysign', 'clz', 'ctz', 'popcnt', 'rotl', 'rotr', 'reinterpret', 'instantiate', 'idof', 'nameof',
  'arguments', 'eval', 'rt', 'isNaN', 'isFinite',
]);

/** Hands out unique emit names. */
export class NameTable {
  private readonly used = new Set<string>();
  /** A fresh emit name for a user name. */
  take(name: string): string {
    let base = RESERVED.has(name) || name.startsWith('__') ? `${name}_` : name;
    base = base.replace(/[^A-Za-z0-9_$]/g, '_').replace(/\$/g, '_S');
    let candidate = base;
    for (let k = 2; this.used.has(candidate); k++) candidate = `${base}_${k}`;
    this.used.add(candidate);
    return candidate;
  }
  /** Reserve a name (helper function names) so that no user name takes it. */
  reserve(name: string): void {
    this.used.add(name);
  }
}

/**
 * A name bound in a block: a local (with its const-ness), a scratch array (`const buf = new
 * Float64Array(n)`), or pending (declared later in the block).
 */
type Binding = { kind: 'local'; id: number; isConst: boolean } | { kind: 'scratch'; id: number } | { kind: 'param'; index: number } | { kind: 'pending' };

/** Block scopes over a parameter list. */
export class Scopes {
  private readonly stack: Map<string, Binding>[] = [];
  readonly locals: Local<null>[] = [];
  readonly scratch: ScratchArray[] = [];
  readonly names = new NameTable();
  readonly params: ReadonlyMap<string, number>;
  readonly paramEmitNames: readonly string[];

  /** @param hidden - parameters no name reaches until {@link declareParam} binds one in a block (jit's dynamic allocations). */
  constructor(params: readonly string[], hidden: ReadonlySet<number> = new Set()) {
    this.params = new Map(params.flatMap((p, i) => (hidden.has(i) ? [] : [[p, i] as const])));
    this.paramEmitNames = params.map((p) => this.names.take(p));
  }

  /** Enter a block whose direct declarations are `declared` (pending until declared). */
  push(declared: readonly string[] = []): void {
    this.stack.push(new Map(declared.map((n) => [n, { kind: 'pending' }])));
  }

  pop(): void {
    this.stack.pop();
  }

  /** Declare a local in the innermost block. */
  declare(name: string, isConst: boolean, at: number): number {
    const id = this.locals.length;
    this.locals.push({ id, name, emitName: this.names.take(name), at, isConst, type: null });
    this.stack[this.stack.length - 1]!.set(name, { kind: 'local', id, isConst });
    return id;
  }

  /** Declare a scratch array in the innermost block. */
  declareScratch(name: string, ctor: string, dtype: DType, at: number): number {
    const id = this.scratch.length;
    this.scratch.push({ id, name, emitName: this.names.take(name), ctor, dtype, at });
    this.stack[this.stack.length - 1]!.set(name, { kind: 'scratch', id });
    return id;
  }

  /** Bind `name` in the innermost block to parameter `index` (a jit allocation made where it is declared). */
  declareParam(name: string, index: number): void {
    this.stack[this.stack.length - 1]!.set(name, { kind: 'param', index });
  }

  /** Resolve a name: a local, a scratch array, a parameter, 'pending' (temporal dead zone) or null (unbound). */
  lookup(name: string): Binding | null {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const b = this.stack[k]!.get(name);
      if (b) return b;
    }
    const p = this.params.get(name);
    return p === undefined ? null : { kind: 'param', index: p };
  }
}
