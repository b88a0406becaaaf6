/**
 * AssemblyScript helpers that emitted kernels call for operations with no single AS
 * operator: NumPy's float → integer cast (x86 values for NaN/inf/out of range, as
 * asm/convert.ts does for the built-ins), JavaScript's ToInt32 (`x | 0` on a float),
 * integer division/remainder with 0 for division by zero, integer power, JavaScript's
 * Math.round, float truthiness, and the bounds checks.
 *
 * Each snippet is named by the function it defines; the module assembler includes exactly
 * the snippets (and their dependencies) that the emitted code mentions. Generic helpers
 * rely on AS evaluating `isSigned<T>()` at compile time, so dead branches are not compiled.
 */

import { MATH_PRELUDE } from './math-prelude.js';

interface Snippet {
  readonly deps: readonly string[];
  readonly code: string;
}

const TWO31 = '2147483648.0';
const TWO63 = '9223372036854775808.0';

const f2i = (name: string, t: string, body: string, deps: string[]): [string, Snippet] => [
  name,
  { deps, code: `// @ts-ignore: decorator\n@inline function ${name}(x: f64): ${t} { ${body} }` },
];

/** The snippets by name. */
export const PRELUDE: ReadonlyMap<string, Snippet> = new Map<string, Snippet>([
  ['__cvt32', {
    deps: [],
    code: `// x86 cvttsd2si r32: truncation; NaN or outside int32 gives INT32_MIN.\n// @ts-ignore: decorator\n@inline function __cvt32(x: f64): i32 { return x > -${TWO31} - 1.0 && x < ${TWO31} ? <i32>x : i32.MIN_VALUE; }`,
  }],
  ['__cvt64', {
    deps: [],
    code: `// x86 cvttsd2si r64: truncation; NaN or outside int64 gives INT64_MIN.\n// @ts-ignore: decorator\n@inline function __cvt64(x: f64): i64 { return x >= -${TWO63} && x < ${TWO63} ? <i64>x : i64.MIN_VALUE; }`,
  }],
  f2i('__f2i_i8', 'i8', 'return <i8>__cvt32(x);', ['__cvt32']),
  f2i('__f2i_u8', 'u8', 'return <u8>__cvt32(x);', ['__cvt32']),
  f2i('__f2i_i16', 'i16', 'return <i16>__cvt32(x);', ['__cvt32']),
  f2i('__f2i_u16', 'u16', 'return <u16>__cvt32(x);', ['__cvt32']),
  f2i('__f2i_i32', 'i32', 'return __cvt32(x);', ['__cvt32']),
  f2i('__f2i_u32', 'u32', 'return <u32>__cvt64(x);', ['__cvt64']),
  f2i('__f2i_i64', 'i64', 'return __cvt64(x);', ['__cvt64']),
  f2i('__f2i_u64', 'u64', `if (!(x >= ${TWO63})) return <u64>__cvt64(x); return <u64>(__cvt64(x - ${TWO63}) ^ i64.MIN_VALUE);`, ['__cvt64']),
  ['__toi32', {
    deps: [],
    code: [
      "// JavaScript's ToInt32 (x | 0): NaN and ±inf give 0, else trunc(x) modulo 2^32. fmod by",
      '// 2^32 is exact, and congruent to the truncation modulo 2^32 (2^32 is an integer).',
      '// @ts-ignore: decorator',
      '@inline function __toi32(x: f64): i32 {',
      `  if (x > -${TWO31} - 1.0 && x < ${TWO31}) return <i32>x;`,
      '  if (!isFinite<f64>(x)) return 0;',
      '  return <i32><i64>(x % 4294967296.0);',
      '}',
    ].join('\n'),
  }],
  ['__imod', {
    deps: [],
    code: '// Integer % with the dividend\'s sign (Wasm rem); % 0 is 0.\n// @ts-ignore: decorator\n@inline function __imod<T>(a: T, b: T): T { return b == <T>0 ? <T>0 : a % b; }',
  }],
  ['__truncdiv', {
    deps: [],
    code: [
      '// Math.trunc(a / b) on integers; / 0 is 0; MIN / -1 wraps to MIN.',
      '// @ts-ignore: decorator',
      '@inline function __truncdiv<T>(a: T, b: T): T {',
      '  if (b == <T>0) return <T>0;',
      '  if (isSigned<T>()) { if (b == <T>-1) return <T>(<T>0 - a); }',
      '  return a / b;',
      '}',
    ].join('\n'),
  }],
  ['__floordiv', {
    deps: [],
    code: [
      '// Math.floor(a / b) on integers; / 0 is 0; MIN / -1 wraps to MIN.',
      '// @ts-ignore: decorator',
      '@inline function __floordiv<T>(a: T, b: T): T {',
      '  if (b == <T>0) return <T>0;',
      '  if (isSigned<T>()) {',
      '    if (b == <T>-1) return <T>(<T>0 - a);',
      '    const q: T = a / b;',
      '    return a % b != <T>0 && (a ^ b) < <T>0 ? <T>(q - <T>1) : q;',
      '  }',
      '  return a / b;',
      '}',
    ].join('\n'),
  }],
  ['__ipow', {
    deps: [],
    code: [
      '// Integer power by squaring, wrapping; a negative exponent gives trunc(1 / a^-b).',
      'function __ipow<T>(a: T, b: T): T {',
      '  if (isSigned<T>()) {',
      '    if (b < <T>0) return a == <T>1 ? <T>1 : a == <T>-1 ? ((b & <T>1) != <T>0 ? <T>-1 : <T>1) : <T>0;',
      '  }',
      '  let r: T = <T>1;',
      '  let base: T = a;',
      '  let e: T = b;',
      '  while (e != <T>0) {',
      '    if ((e & <T>1) != <T>0) r = <T>(r * base);',
      '    base = <T>(base * base);',
      '    e = <T>(e >> <T>1);',
      '  }',
      '  return r;',
      '}',
    ].join('\n'),
  }],
  ['__round_f64', {
    deps: [],
    code: [
      "// JavaScript's Math.round: nearest integer, halves toward +Infinity, -0 kept.",
      '// @ts-ignore: decorator',
      '@inline function __round_f64(x: f64): f64 {',
      '  let r = Math.floor(x);',
      '  if (x - r >= 0.5) r += 1.0;',
      '  return r == 0.0 ? copysign<f64>(0.0, x) : r;',
      '}',
    ].join('\n'),
  }],
  ['__round_f32', {
    deps: [],
    code: [
      "// JavaScript's Math.round on float32 (exact: the result is representable).",
      '// @ts-ignore: decorator',
      '@inline function __round_f32(x: f32): f32 {',
      '  let r = Mathf.floor(x);',
      '  if (x - r >= <f32>0.5) r += <f32>1.0;',
      '  return r == <f32>0.0 ? copysign<f32>(<f32>0.0, x) : r;',
      '}',
    ].join('\n'),
  }],
  ['__nb_bsite', {
    deps: [],
    code: [
      '// Bounds checks (ir/passes/bounds-check.ts): a failed check records its site + 1, the index',
      '// and the size in these globals (per instance, so per thread) and traps; the host reads',
      '// them to raise IndexError E_KERNEL_BOUNDS (src/compiler/bounds.ts).',
      'export let __nb_bsite: i32 = 0;',
      'export let __nb_bindex: i64 = 0;',
      'export let __nb_bsize: i32 = 0;',
    ].join('\n'),
  }],
  ['__bc', {
    deps: ['__nb_bsite'],
    code: [
      '// Index i of an axis of size n: i itself when 0 <= i < n; otherwise record the site and trap.',
      '// @ts-ignore: decorator',
      '@inline function __bc(i: i32, n: i32, site: i32): i32 {',
      '  if (<u32>i >= <u32>n) { __nb_bsite = site + 1; __nb_bindex = <i64>i; __nb_bsize = n; unreachable(); }',
      '  return i;',
      '}',
    ].join('\n'),
  }],
  ['__bc64', {
    deps: ['__nb_bsite'],
    code: [
      '// @ts-ignore: decorator',
      '@inline function __bc64(i: i64, n: i32, site: i32): i64 {',
      '  if (<u64>i >= <u64>n) { __nb_bsite = site + 1; __nb_bindex = i; __nb_bsize = n; unreachable(); }',
      '  return i;',
      '}',
    ].join('\n'),
  }],
  ['__bcz', {
    deps: ['__bc'],
    code: '// The check of an index read through a walked pointer: adds 0 to the address.\n// @ts-ignore: decorator\n@inline function __bcz(i: i32, n: i32, site: i32): usize { __bc(i, n, site); return 0; }',
  }],
  ['__bcz64', {
    deps: ['__bc64'],
    code: '// @ts-ignore: decorator\n@inline function __bcz64(i: i64, n: i32, site: i32): usize { __bc64(i, n, site); return 0; }',
  }],
  ['__nb_arena_sp', {
    deps: [],
    code: [
      '// Scratch arrays (`new Float64Array(n)` in a kernel): a bump allocator over this instance\'s',
      '// arena [sp, end), a heap block the host lends for each call (`__nb_arena`, per instance and',
      '// so per thread; src/vectorize/arena.ts). A function that allocates restores `sp` on its',
      '// way out, and a loop that allocates at the start of each pass, so nothing accumulates',
      '// across elements; a trap leaves `sp` anywhere, and the next call sets it afresh.',
      '// A failed allocation records its site + 1, the length asked for and the bytes left, then',
      '// traps; the host raises the kernel\'s error (src/compiler/bounds.ts).',
      'let __nb_arena_sp: usize = 0;',
      'let __nb_arena_end: usize = 0;',
      'export let __nb_ssite: i32 = 0;',
      'export let __nb_slen: i64 = 0;',
      'export let __nb_sleft: i32 = 0;',
      'export function __nb_arena(base: usize, bytes: usize): void { __nb_arena_sp = base; __nb_arena_end = base + bytes; __nb_ssite = 0; }',
    ].join('\n'),
  }],
  ['__nb_scratch_len', {
    deps: ['__nb_arena_sp'],
    code: [
      '// The length n of an array of 2^shift-byte elements: n itself when 0 <= n and it fits what is left.',
      '// @ts-ignore: decorator',
      '@inline function __nb_scratch_len(n: i64, shift: i32, site: i32): i32 {',
      '  const left = __nb_arena_end - __nb_arena_sp;',
      '  if (n < 0 || n > <i64>(left >> <usize>shift)) { __nb_ssite = site + 1; __nb_slen = n; __nb_sleft = <i32>left; unreachable(); }',
      '  return <i32>n;',
      '}',
    ].join('\n'),
  }],
  ['__nb_scratch_alloc', {
    deps: ['__nb_arena_sp'],
    code: [
      '// n elements (checked by __nb_scratch_len), zero-filled; the next one starts 8-aligned (the',
      '// arena\'s end is 16-aligned, so rounding up never passes it).',
      '// @ts-ignore: decorator',
      '@inline function __nb_scratch_alloc(n: i32, shift: i32): usize {',
      '  const p = __nb_arena_sp;',
      '  const bytes = <usize>n << <usize>shift;',
      '  memory.fill(p, 0, bytes);',
      '  __nb_arena_sp = (p + bytes + 7) & ~(<usize>7);',
      '  return p;',
      '}',
    ].join('\n'),
  }],
  ['__truthy_f64', {
    deps: [],
    code: '// JavaScript truthiness of a float: 0, -0 and NaN are false.\n// @ts-ignore: decorator\n@inline function __truthy_f64(x: f64): bool { return x != 0.0 && x == x; }',
  }],
  ['__truthy_f32', {
    deps: [],
    code: '// @ts-ignore: decorator\n@inline function __truthy_f32(x: f32): bool { return x != <f32>0.0 && x == x; }',
  }],
  // nb.math (math-prelude.ts).
  ...MATH_PRELUDE,
]);

/**
 * The prelude an emitted body needs: every snippet it names, with dependencies, in table order.
 *
 * @example
 * ```ts
 * preludeFor('return __floordiv<i32>(a, b);'); // the __floordiv snippet
 * ```
 */
export function preludeFor(code: string): string {
  const need = new Set<string>();
  const add = (name: string) => {
    if (need.has(name)) return;
    need.add(name);
    PRELUDE.get(name)!.deps.forEach(add);
  };
  for (const m of code.matchAll(/\b(__[A-Za-z0-9_]+)\b/g)) if (PRELUDE.has(m[1]!)) add(m[1]!);
  return [...PRELUDE.keys()].filter((k) => need.has(k)).map((k) => PRELUDE.get(k)!.code).filter((c) => c !== '').join('\n');
}
