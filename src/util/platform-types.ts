/**
 * Platform types (WebAssembly, WebGPU, Node's worker threads) under names that compile in
 * every consumer's project (issue 18).
 *
 * numbats' published `.d.ts` files are type-checked in full by a consumer whose tsconfig has
 * `skipLibCheck: false` (the default), including the internal modules the public ones import.
 * `WebAssembly.*` and `GPU*` are declared only by the DOM lib (and `@webgpu/types`), and
 * `node:worker_threads` only by `@types/node`, so naming them directly fails to compile in a
 * Node project with `lib: ["ES2022"]` (no DOM) or in a browser project without `@types/node`.
 * Each alias below is the platform's own type where the consumer's `lib`/`types` declare it
 * (always so in numbats' own build, which has both), and a plain object type where they do
 * not: the same trick `@types/ndarray` uses for `BigInt64Array`.
 *
 * NOTE: a public or internal type that a `.d.ts` reachable from `index.d.ts` names must use
 * these aliases, never `WebAssembly.*`, `GPU*` or a `node:` import; test/package/consumer.test.ts
 * type-checks the packed package in such projects and fails otherwise.
 */

type Global = typeof globalThis;

/** `WebAssembly.Module`. */
export type WasmModule = Global extends { WebAssembly: { Module: { prototype: infer M } } } ? M : object;

/** `GPUDevice` (WebGPU). */
export type GpuDeviceType = Global extends { GPUDevice: { prototype: infer D } } ? D : object;

/** `GPUError` (WebGPU). */
export type GpuErrorType = Global extends { GPUError: { prototype: infer E } } ? E : object;

/** What numbats uses of a Node `Worker` (or a Web Worker): ending it. */
export interface TerminableWorker {
  terminate(): unknown;
}
