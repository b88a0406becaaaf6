/**
 * asc's command-line flags: DESIGN.md decision 6's, and the optimisation level a module's
 * source asks for.
 *
 * A linked module whose units chose -O0 (ir/passes/limits.ts: large kernels, where
 * Binaryen's -O3 is superlinear) carries {@link ascOptimizeDirective} as its second line;
 * {@link ascFlagsFor} reads it. Keeping the level in the source keeps every cache key (the
 * kernel's `key`, src/vectorize/cache.ts) right without another field to thread through.
 */

/** Flags of DESIGN.md decision 6 (-O3; {@link ascFlagsFor} lowers it when the source asks). */
export const ASC_FLAGS: readonly string[] = [
  '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=',
  '--enable', 'simd', '--enable', 'threads',
  '--importMemory', '--sharedMemory', '--maximumMemory', '65536',
];

/**
 * The comment line that asks for optimisation level `level`.
 *
 * @example
 * ```ts
 * ascOptimizeDirective(0); // '// numbats: asc -O0'
 * ```
 */
export function ascOptimizeDirective(level: number): string {
  return `// numbats: asc -O${level}`;
}

/**
 * The flags to compile `source` with: {@link ASC_FLAGS}, with -O3 replaced by the level the
 * source's header asks for (its first two lines), if any.
 *
 * @example
 * ```ts
 * ascFlagsFor('// k: generated\n// numbats: asc -O0\n...')[0]; // '-O0'
 * ```
 */
export function ascFlagsFor(source: string): string[] {
  const head = source.split('\n', 2);
  const m = head.map((line) => /^\/\/ numbats: asc -O([0-3])$/.exec(line)).find((x) => x !== null);
  return m ? ASC_FLAGS.map((f) => (f === '-O3' ? `-O${m[1]}` : f)) : [...ASC_FLAGS];
}

/**
 * The function imports a kernel module may have besides `env.memory`: nb.jit's host calls,
 * which the host provides: prange's (`env.<prefix>prange_run`, src/compiler/jit-prange.ts)
 * and the allocator (`env.<prefix>jit_alloc<ndim>`, src/jit/alloc-host.ts).
 *
 * @example
 * ```ts
 * isHostImport({ module: 'env', name: 'j_prange_run', kind: 'function' }); // true
 * ```
 */
export function isHostImport(i: { readonly module: string; readonly name: string; readonly kind: string }): boolean {
  return i.module === 'env' && i.kind === 'function' && /^[A-Za-z0-9_]*(prange_run|jit_alloc\d+)$/.test(i.name);
}

/**
 * Measurement hook (bench/compile-cost.ts): compile with `flags` instead of DESIGN.md
 * decision 6's from now on, in this thread. {@link ASC_FLAGS} itself changes, so every
 * cache key (which includes it) tells the variants apart.
 *
 * @example
 * ```ts
 * const saved = [...ASC_FLAGS];
 * replaceAscFlags(saved.map((f) => (f === '-O3' ? '-O2' : f)));
 * ```
 */
export function replaceAscFlags(flags: readonly string[]): void {
  (ASC_FLAGS as string[]).splice(0, ASC_FLAGS.length, ...flags);
}
