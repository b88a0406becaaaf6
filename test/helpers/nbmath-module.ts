/**
 * A kernel module that imports numbats' math library, written as Wasm bytes (no asc: usable
 * in the browser suites, where compileAssemblyScript admits no `nbmath` import either). It
 * has the pool's kernel ABI: `blk(plan)` runs one block, plan = [n, src, dst] (u32 words):
 * dst[i] = nbmath.exp_f64(src[i]) for i < n, float64 arrays; memory: the runtime's heap
 * (`env.memory`, shared, at most 65536 pages).
 */

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const str = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

const F64 = 0x7c;
const I32 = 0x7f;

/**
 * The module's bytes.
 *
 * @example
 * ```ts
 * const module = new WebAssembly.Module(expKernelBytes());
 * ```
 */
export function expKernelBytes(): Uint8Array<ArrayBuffer> {
  const types = section(1, vec([[0x60, 1, F64, 1, F64], [0x60, 1, I32, 0]]));
  const imports = section(2, vec([
    [...str('env'), ...str('memory'), 0x02, 0x03, ...leb(1), ...leb(65536)], // shared, min 1, max 65536
    [...str('nbmath'), ...str('exp_f64'), 0x00, 0], // function of type 0
  ]));
  const functions = section(3, vec([[1]]));
  const exports = section(7, vec([[...str('blk'), 0x00, 1]])); // function 1 (0 is the import)
  const get = (l: number) => [0x20, l];
  const set = (l: number) => [0x21, l];
  const addressOf = (base: number) => [...get(base), ...get(4), 0x41, 3, 0x74, 0x6a]; // base + (i << 3)
  const body = [
    ...vec([[4, I32]]), // locals 1..4: n, src, dst, i
    ...get(0), 0x28, 2, 0, ...set(1),
    ...get(0), 0x28, 2, 4, ...set(2),
    ...get(0), 0x28, 2, 8, ...set(3),
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(4), ...get(1), 0x4f, 0x0d, 1, // i >= n (unsigned): leave
    ...addressOf(3), ...addressOf(2), 0x2b, 3, 0, 0x10, 0, 0x39, 3, 0, // dst[i] = exp(src[i])
    ...get(4), 0x41, 1, 0x6a, ...set(4), 0x0c, 0, // i++, again
    0x0b, 0x0b, 0x0b,
  ];
  const code = section(10, vec([[...leb(body.length), ...body]]));
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...functions, ...exports, ...code]);
}
