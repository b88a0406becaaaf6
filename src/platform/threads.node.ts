/**
 * Platform seam: thread primitives of the parallel target. Node: every thread may block in
 * `Atomics.wait`, and SharedArrayBuffer always exists. The browser twin (threads.browser.ts)
 * spins on the main thread, where `Atomics.wait` throws, and falls back to a plain buffer on a
 * page that is not cross-origin isolated (the pool is off there, so nothing else reads it).
 */
export { availableParallelism } from 'node:os';

/**
 * A buffer of `bytes` that pool threads can share (a call's control words).
 *
 * @example
 * ```ts
 * const ctrl = new Int32Array(sharedBuffer(256));
 * ```
 */
export function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytes);
}

/**
 * Block while `view[index] === value`, at most `ms` milliseconds (spurious returns allowed:
 * callers re-check in a loop).
 *
 * @example
 * ```ts
 * waitWhileEqual(ctrl, 1, done, 50);
 * ```
 */
export function waitWhileEqual(view: Int32Array, index: number, value: number, ms: number): void {
  Atomics.wait(view, index, value, ms);
}
