/**
 * The pool worker's code, kept as a string and written once to a file in the OS temp
 * directory (piscina loads tasks from a file; a string works the same from src/ under
 * vitest/tsx and from dist/, with nothing to copy at build time).
 *
 * What a worker holds, received ONCE:
 *   - `workerData`: the shared heap `WebAssembly.Memory` and the compiled built-in
 *     `WebAssembly.Module` (instantiated once per worker on that memory);
 *   - the compiled math library (`mathModule`, src/runtime/math-library.ts), with each task
 *     whose kernel module imports `nbmath` (pool.ts): instantiated once per worker, on the
 *     first such task, and given to every kernel module that imports it;
 *   - kernel modules (vectorize/guvectorize): a task names its module by id; the module
 *     object rides along in the task message (structured clone of a compiled Module shares
 *     V8's compiled code, no copy and no recompile) and the worker instantiates it the first
 *     time it sees the id, then reuses the instance.
 * Two more task kinds serve nb.jit's callAsync (jit-async.ts): `drive` runs a jit function's
 * entry (its prange import publishes jobs in a session buffer) and `help` takes blocks of those
 * jobs until the session ends. Function imports of a kernel module (the prange host call) get
 * throwing stubs elsewhere: only a driver's instance calls its own.
 * A task joins one parallel call: it claims blocks from the call's control words
 * (`Atomics.add` on NEXT) until none are left, runs each block's plan, and counts it in
 * DONE (notifying the caller when the last block finishes). A trap is caught: it is
 * recorded in the control words (ERR + the message) so the caller raises a TargetError (a
 * failed bounds check: its site, index and size, which the caller raises as the kernel's
 * IndexError; a failed scratch allocation likewise), other threads stop claiming, and the worker drops its instances (fresh ones
 * next time).
 */

/** Control words of a call (Int32 indexes into its SharedArrayBuffer). */
export const CTRL = { NEXT: 0, DONE: 1, ERR: 2, MSG_LEN: 3, MSG: 4 } as const;
/** Bytes of a call's control buffer (16 bytes of words + up to 240 bytes of message). */
export const CTRL_BYTES = 256;

/**
 * Words of an async jit call's session (Int32 indexes; the worker's S_* names): a job's claim
 * word (generation << 16 | next block), blocks done, error (1 a trap, 3 a worker died), the
 * message length, the job generation (-1: the session is over), the job's site, records
 * address, block count and record stride; the message at byte {@link SESSION_MSG}.
 */
export const SESSION = { CLAIM: 0, DONE: 1, ERR: 2, MSG_LEN: 3, GEN: 4, SITE: 5, PLANS: 6, N: 7, STRIDE: 8 } as const;
/** Byte offset of a session's message, and the session buffer's size. */
export const SESSION_MSG = 64;
export const SESSION_BYTES = 256;

/** CommonJS source of the worker task (piscina's default export). */
export const WORKER_SOURCE = String.raw`'use strict';
const { workerData } = require('node:worker_threads');
const memory = workerData.memory;
let builtin;
let nbmath;
const kernels = new Map();
// The import object of task t's kernel module: env, the heap memory and the module's host
// functions (nb.jit's prange call), which are only called on the calling thread (a worker
// runs the module's block entries, which call none of them); and nbmath, numbats' math
// library (src/runtime/math-library.ts), when the module imports it: instantiated once per
// worker (its memory is its own) from the compiled module the task carries (pool.ts).
function importsOf(t) {
  const env = { memory };
  const imports = { env };
  for (const i of WebAssembly.Module.imports(t.module)) {
    if (i.module === 'env' && i.kind === 'function') env[i.name] = () => { throw new Error('numbats: ' + i.name + ' called in a pool worker'); };
    else if (i.module === 'nbmath' && imports.nbmath === undefined) {
      if (t.mathModule === undefined) throw new Error('numbats: a kernel module imports nbmath.' + i.name + ' but its task carries no math library');
      imports.nbmath = nbmath ??= new WebAssembly.Instance(t.mathModule, {}).exports;
    }
  }
  return imports;
}
function exportsOf(t) {
  if (t.kind === 0) {
    builtin ??= new WebAssembly.Instance(workerData.builtinModule, { env: { memory } }).exports;
    return builtin;
  }
  let e = kernels.get(t.moduleId);
  if (e === undefined) {
    e = new WebAssembly.Instance(t.module, importsOf(t)).exports;
    kernels.set(t.moduleId, e);
  }
  return e;
}
function runner(t) {
  const e = exportsOf(t);
  if (t.kind === 0) { const f = e.ufunc; const id = t.id; return (p) => f(id, p); }
  const f = e[t.fn];
  if (t.kind === 2) { const core = t.core; return (p) => f(p, core); }
  return (p) => f(p);
}
const enc = new TextEncoder();
// A failed bounds check recorded its site + 1, index and size in the instance's globals
// before it trapped (src/compiler/bounds.ts): reported as 'numbats-bounds:site:index:size'.
// A failed scratch allocation likewise: 'numbats-scratch:site:length:bytesLeft'.
function trapText(err, e) {
  const site = e.__nb_bsite;
  if (err instanceof WebAssembly.RuntimeError && site && site.value !== 0) {
    return 'numbats-bounds:' + (site.value - 1) + ':' + e.__nb_bindex.value + ':' + e.__nb_bsize.value;
  }
  const ss = e.__nb_ssite;
  if (err instanceof WebAssembly.RuntimeError && ss && ss.value !== 0) {
    const len = e.__nb_slen.value;
    return 'numbats-scratch:' + (ss.value - 1) + ':' + len + ':' + (len < 0n ? -1 : e.__nb_sleft.value);
  }
  return String(err && err.message || err);
}
// nb.jit's callAsync on 'parallel' (src/parallel/jit-async.ts): one task drives the call (it
// runs the function's entry in an instance of its own, whose prange import publishes each
// loop as a job in the session's words), the other tasks help with the jobs' blocks until the
// session ends (GEN -1). Claims carry the job's generation (CLAIM = gen << 16 | next), so a
// late helper never takes a block of a later job for one of an earlier job.
const S_CLAIM = 0, S_DONE = 1, S_ERR = 2, S_MSG_LEN = 3, S_GEN = 4, S_SITE = 5, S_PLANS = 6, S_N = 7, S_STRIDE = 8, S_MSG = 64;
function sessionError(t, w, text, code) {
  if (Atomics.compareExchange(w, S_ERR, 0, code) === 0) {
    const bytes = enc.encode(text).subarray(0, 192);
    new Uint8Array(t.session, S_MSG, 192).set(bytes);
    Atomics.store(w, S_MSG_LEN, bytes.length);
  }
  Atomics.notify(w, S_DONE);
}
function claim(w, gen, n) {
  for (;;) {
    const v = Atomics.load(w, S_CLAIM);
    if ((v >>> 16) !== gen || (v & 0xFFFF) >= n) return -1;
    if (Atomics.compareExchange(w, S_CLAIM, v, v + 1) === v) return v & 0xFFFF;
  }
}
// Run blocks of job gen until none is left (after an error: count them without running).
function workBlocks(t, w, e, gen) {
  const site = Atomics.load(w, S_SITE), plans = Atomics.load(w, S_PLANS) >>> 0;
  const n = Atomics.load(w, S_N), stride = Atomics.load(w, S_STRIDE);
  const f = e[t.sites[site]];
  let failed = false;
  for (let b = claim(w, gen, n); b >= 0; b = claim(w, gen, n)) {
    if (Atomics.load(w, S_ERR) === 0) {
      try { f(plans + b * stride); } catch (err) { sessionError(t, w, trapText(err, e), 1); failed = true; }
    }
    Atomics.add(w, S_DONE, 1);
    Atomics.notify(w, S_DONE);
  }
  return failed;
}
function help(t) {
  const w = new Int32Array(t.session);
  const e = exportsOf({ kind: 1, moduleId: t.moduleId, module: t.module, mathModule: t.mathModule });
  if (t.arenaBase !== undefined && typeof e.__nb_arena === 'function') e.__nb_arena(t.arenaBase, t.arenaBytes);
  let seen = 0, failed = false;
  for (;;) {
    const g = Atomics.load(w, S_GEN);
    if (g < 0) break;
    if (g === seen) { Atomics.wait(w, S_GEN, g, 1000); continue; }
    seen = g;
    if (workBlocks(t, w, e, g)) failed = true;
  }
  if (failed) kernels.delete(t.moduleId);
  return 0;
}
const drivers = new Map();
function sessionThrow(w, t) {
  const err = new Error(new TextDecoder().decode(new Uint8Array(t.session, S_MSG, Atomics.load(w, S_MSG_LEN)).slice()));
  err.numbatsSession = Atomics.load(w, S_ERR);
  throw err;
}
function driveSite(d, site, n) {
  const t = d.t, w = d.w;
  const gen = d.gen = (d.gen % 0x7FFF) + 1;
  Atomics.store(w, S_DONE, 0);
  Atomics.store(w, S_SITE, site);
  Atomics.store(w, S_PLANS, t.area);
  Atomics.store(w, S_N, n);
  Atomics.store(w, S_STRIDE, t.strides[site]);
  Atomics.store(w, S_CLAIM, gen << 16);
  Atomics.store(w, S_GEN, gen);
  Atomics.notify(w, S_GEN);
  workBlocks(t, w, d.e, gen);
  // Close the job (no claim after this), then wait for the blocks the helpers claimed.
  let claimed;
  for (;;) {
    const v = Atomics.load(w, S_CLAIM);
    if (Atomics.compareExchange(w, S_CLAIM, v, (gen << 16) | 0xFFFF) === v) { claimed = Math.min(v & 0xFFFF, n); break; }
  }
  for (let done = Atomics.load(w, S_DONE); done < claimed; done = Atomics.load(w, S_DONE)) {
    if (Atomics.load(w, S_ERR) === 3) sessionThrow(w, t);
    Atomics.wait(w, S_DONE, done, 50);
  }
  if (Atomics.load(w, S_ERR) !== 0) sessionThrow(w, t);
}
function drive(t) {
  const w = new Int32Array(t.session);
  let d = drivers.get(t.moduleId);
  if (d === undefined) {
    d = { t: null, w: null, e: null, gen: 0 };
    const imports = importsOf(t);
    const self = d;
    imports.env[t.runImport] = (site, n) => driveSite(self, site, n);
    d.e = new WebAssembly.Instance(t.module, imports).exports;
    drivers.set(t.moduleId, d);
  }
  d.t = t;
  d.w = w;
  const e = d.e;
  try {
    if (t.arenaBase !== undefined && typeof e.__nb_arena === 'function') e.__nb_arena(t.arenaBase, t.arenaBytes);
    e[t.areaSetter](t.area);
    return { value: e[t.entry](...t.args) };
  } catch (err) {
    drivers.delete(t.moduleId);
    if (err && err.numbatsSession) return { error: err.message, died: err.numbatsSession === 3 };
    return { error: trapText(err, e) };
  } finally {
    Atomics.store(w, S_GEN, -1);
    Atomics.notify(w, S_GEN);
  }
}
module.exports = function join(t) {
  if (t.kind === 3) return drive(t);
  if (t.kind === 4) return help(t);
  const ctrl = new Int32Array(t.ctrl);
  const run = runner(t);
  const e = exportsOf(t);
  // A kernel with scratch arrays: this task's own arena (a heap block the caller lent).
  if (t.arenaBase !== undefined && typeof e.__nb_arena === 'function') e.__nb_arena(t.arenaBase, t.arenaBytes);
  let did = 0;
  for (;;) {
    if (Atomics.load(ctrl, 2) !== 0) break;
    const b = Atomics.add(ctrl, 0, 1);
    if (b >= t.nblocks) break;
    try {
      run(t.plans + b * t.planStride);
    } catch (err) {
      if (Atomics.compareExchange(ctrl, 2, 0, 1) === 0) {
        const bytes = enc.encode(trapText(err, e)).subarray(0, 240);
        new Uint8Array(t.ctrl, 16, 240).set(bytes);
        Atomics.store(ctrl, 3, bytes.length);
      }
      builtin = undefined;
      kernels.clear();
    }
    did++;
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
  return did;
};
`;
