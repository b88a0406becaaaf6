/**
 * `nb.prange`: Numba's parallel range as a plain iterable, so that a jit function runs as
 * plain JS too. In a jit function, `for (const i of nb.prange(n))` compiles to a counting
 * loop (src/compiler/frontend/jit-members.ts); on the 'cpu' target it is an ordinary loop,
 * on 'parallel' its iterations run in blocks on the worker pool (src/compiler/jit-prange.ts).
 */

/** An iterable range of integers [start, stop) with step 1 (empty when stop <= start). */
export interface Range extends Iterable<number> {
  readonly start: number;
  readonly stop: number;
}

/**
 * The integers `start, start + 1, ..., stop - 1` (`prange(stop)` starts at 0), as Numba's
 * `prange` and Python's `range(start, stop)`.
 *
 * @throws TypeError when a bound is not a number.
 * @example
 * ```ts
 * console.log([...nb.prange(3)], [...nb.prange(2, 5)]); // [ 0, 1, 2 ] [ 2, 3, 4 ]
 * ```
 */
export function prange(startOrStop: number, stop?: number): Range {
  const [start, end] = stop === undefined ? [0, startOrStop] : [startOrStop, stop];
  if (typeof start !== 'number' || typeof end !== 'number') throw new TypeError('nb.prange takes numbers: prange(stop) or prange(start, stop)');
  return {
    start, stop: end,
    [Symbol.iterator](): Iterator<number> {
      let i = start;
      return { next: () => (i < end ? { value: i++, done: false } : { value: undefined, done: true }) };
    },
  };
}
