/**
 * The lifetime stress run (issue 19): random interleavings of calls in flight and the ways
 * an array's life ends, checked against a plain-JS shadow model. Used by
 * test/hostile/lifetime-stress.test.ts (fixed seed, in `npm test`) and by
 * scripts/lifetime-stress.ts (deeper runs).
 *
 * One interleaving is a sequence of steps that fast-check generates from the seed (and
 * shrinks to a minimal one on a failure), over small float32 arrays of one size per
 * interleaving (1, 64, 200 or 640 elements; the pool is configured so that the larger ones
 * are cut into blocks and really run on the workers):
 *   make        a new host array (the step that would get a block freed too early);
 *   call        `callAsync` of a parallel kernel on two arrays or an array and a scalar,
 *               into a fresh result or into `out` (an idle array, possibly its input);
 *   dispose     any array, in flight or not;
 *   write       one element of an idle host array;
 *   drop        forget an array without disposing it (the collector may take it; an `out`
 *               in flight comes back through its promise);
 *   gc          a full collection and the heap's synchronous sweep (rare: 3-7 ms);
 *   scope       `nb.scope` that makes a temporary and starts a call on it (as input or as
 *               `out`), then ends, disposing what it does not return;
 *   await, tick settle one call, or let the event loop run;
 * and, when a GPU adapter exists:
 *   toGpu       upload a host array (then it may be written or disposed at once: the
 *               upload must take the elements as they were);
 *   toCpu       read a gpu array back (then it may be changed by gpuAdd at once);
 *   gpuAdd      `nb.add(g, v, { out: g })`, in program order with the reads;
 *   gpuCall     a gpu kernel on host arrays into a host `out` (which may be disposed).
 * Model: per array its expected elements (set when its call is made: inputs are never
 * written while a call reads them, and arrays being written are neither read nor written
 * until their call settles), its place (host or gpu), and whether it was disposed. At the
 * end of an interleaving every call is awaited, every array the model still holds is
 * compared with its shadow (a disposed one must throw E_MEMORY_DISPOSED / E_GPU_DISPOSED),
 * no block may stay pinned, and everything is disposed; live heap bytes must come back to
 * the baseline at the end of the run.
 */
import fc from 'fast-check';
import * as nb from '../../src/index.js';
import { collectGarbage } from '../../src/runtime/gc-hooks.js';
import { lifetimeStats, sweep } from '../../src/runtime/lifetime.js';
import { runtime } from '../../src/runtime/runtime.js';

export interface LifetimeStressOptions {
  seed: number;
  /** Interleavings to run. */
  runs: number;
  /** Steps per interleaving at most (default 10). */
  maxSteps?: number;
  /** Include the gpu steps (needs an adapter). */
  gpu: boolean;
  log?: (line: string) => void;
}

export interface LifetimeStressReport {
  runs: number;
  steps: number;
  stepCounts: Record<string, number>;
  /** Arrays compared with their shadow, and elements compared. */
  arraysVerified: number;
  elementsVerified: number;
  /** Disposed arrays whose use threw as it must. */
  disposedChecked: number;
  /** Calls that were still in flight when one of their arrays was disposed. */
  disposedInFlight: number;
  baselineLiveBytes: number;
  finalLiveBytes: number;
  ms: number;
}

type Step =
  | { op: 'make'; base: number }
  | { op: 'call'; binary: boolean; a: number; b: number; out: 'fresh' | 'other' | 'self'; o: number }
  | { op: 'dispose'; i: number }
  | { op: 'write'; i: number; j: number; v: number }
  | { op: 'drop'; i: number }
  | { op: 'gc' }
  | { op: 'scope'; mode: 'input' | 'out' | 'none'; keep: boolean; a: number }
  | { op: 'await'; i: number }
  | { op: 'tick' }
  | { op: 'toGpu'; i: number }
  | { op: 'toCpu'; i: number }
  | { op: 'gpuAdd'; i: number; v: number }
  | { op: 'gpuCall'; a: number; o: number };

const SIZES = [1, 64, 200, 640] as const;

function stepArb(gpu: boolean): fc.Arbitrary<Step> {
  const i = fc.nat(63);
  const small = fc.integer({ min: -8, max: 8 });
  const steps: { arbitrary: fc.Arbitrary<Step>; weight: number }[] = [
    { weight: 4, arbitrary: small.map((base) => ({ op: 'make' as const, base })) },
    { weight: 6, arbitrary: fc.record({ binary: fc.boolean(), a: i, b: i, out: fc.constantFrom('fresh' as const, 'other' as const, 'self' as const), o: i }).map((r) => ({ op: 'call' as const, ...r })) },
    { weight: 4, arbitrary: i.map((x) => ({ op: 'dispose' as const, i: x })) },
    { weight: 2, arbitrary: fc.record({ i, j: fc.nat(1000), v: small }).map((r) => ({ op: 'write' as const, ...r })) },
    { weight: 1, arbitrary: i.map((x) => ({ op: 'drop' as const, i: x })) },
    { weight: 2, arbitrary: fc.record({ mode: fc.constantFrom('input' as const, 'out' as const, 'none' as const), keep: fc.boolean(), a: i }).map((r) => ({ op: 'scope' as const, ...r })) },
    { weight: 2, arbitrary: i.map((x) => ({ op: 'await' as const, i: x })) },
    // One tick in 100 is a full collection instead (it costs 3-7 ms).
    { weight: 2, arbitrary: fc.nat(99).map((k): Step => (k === 0 ? { op: 'gc' } : { op: 'tick' })) },
  ];
  if (gpu) {
    steps.push(
      { weight: 3, arbitrary: i.map((x) => ({ op: 'toGpu' as const, i: x })) },
      { weight: 3, arbitrary: i.map((x) => ({ op: 'toCpu' as const, i: x })) },
      { weight: 3, arbitrary: fc.record({ i, v: small }).map((r) => ({ op: 'gpuAdd' as const, ...r })) },
      { weight: 1, arbitrary: fc.record({ a: i, o: i }).map((r) => ({ op: 'gpuCall' as const, ...r })) },
    );
  }
  return fc.oneof(...steps);
}

/** One array of the model. */
interface Arr {
  /** null while the model holds no reference (dropped, or a result not yet delivered). */
  a: nb.NDArray | null;
  /** Expected elements (valid once `writers` is 0). */
  shadow: Float32Array;
  gpu: boolean;
  disposed: boolean;
  /** Calls in flight that read it / write it. */
  readers: number;
  writers: number;
}

interface Pending {
  promise: Promise<unknown>;
  /** Update the model with the settled value. */
  settle(value: unknown): void;
}

// The kernels: small integers stay exact in float32 whatever the order of steps. One
// parallel kernel (each compile costs ~1 s): a call on one array passes the scalar 3.
const subK = (x: number, y: number) => x - y;
const gpuK = (x: number) => x * 2;

export async function lifetimeStress(o: LifetimeStressOptions): Promise<LifetimeStressReport> {
  const t0 = performance.now();
  const before = nb.config().parallel;
  // Cut arrays of >= 128 elements into blocks on the workers (split.ts aligns blocks to 64).
  nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-5 } });
  const sub = nb.vectorize('f4(f4, f4)', { target: 'parallel', tier: 'wasm' })(subK);
  const onGpu = o.gpu ? nb.vectorize(['float32(float32)'], { target: 'gpu' })(gpuK) : null;
  const report: LifetimeStressReport = {
    runs: 0, steps: 0, stepCounts: {}, arraysVerified: 0, elementsVerified: 0, disposedChecked: 0, disposedInFlight: 0,
    baselineLiveBytes: 0, finalLiveBytes: 0, ms: 0,
  };

  async function interleaving(size: number, steps: readonly Step[]): Promise<void> {
    const arrs: Arr[] = [];
    const pending: Pending[] = [];
    const add = (a: nb.NDArray | null, shadow: Float32Array, gpu = false, writers = 0): Arr => {
      const r: Arr = { a, shadow, gpu, disposed: false, readers: 0, writers };
      arrs.push(r);
      return r;
    };
    const pick = (k: number, ok: (r: Arr) => boolean): Arr | undefined => {
      const c = arrs.filter(ok);
      return c.length === 0 ? undefined : c[k % c.length];
    };
    const idleHost = (r: Arr) => r.a !== null && !r.gpu && !r.disposed && r.writers === 0;
    const free = (r: Arr) => idleHost(r) && r.readers === 0;
    const makeHost = (base: number): Arr => {
      const a = nb.empty([size], 'float32');
      const shadow = new Float32Array(size).map((_, j) => base + (j % 7));
      (a.data as Float32Array).set(shadow);
      return add(a, shadow);
    };
    const track = (promise: Promise<unknown>, settle: (v: unknown) => void) => {
      const p: Pending = { promise, settle };
      pending.push(p);
      return p;
    };
    const settleOne = async (p: Pending) => {
      pending.splice(pending.indexOf(p), 1);
      p.settle(await p.promise);
    };
    /** Start a parallel callAsync: `out` null for a fresh result. */
    const startCall = (ins: Arr[], out: Arr | null): void => {
      const xs = ins.map((r) => r.shadow);
      const want = xs[0]!.map((x, j) => subK(x, ins.length === 1 ? 3 : xs[1]![j]!));
      const args: unknown[] = ins.length === 1 ? [ins[0]!.a, 3] : ins.map((r) => r.a);
      if (out !== null) args.push({ out: out.a });
      const promise = sub.callAsync(...args);
      for (const r of ins) r.readers++;
      const target = out ?? add(null, want, false, 1);
      if (out !== null) {
        out.writers++;
        out.shadow = want;
      }
      track(promise, (v) => {
        for (const r of ins) r.readers--;
        target.writers--;
        if (out !== null && v !== out.a && out.a !== null) throw new Error('callAsync with out= resolved to another array');
        target.a = v as nb.NDArray; // an `out` the model dropped comes back through its promise
      });
    };

    for (const s of steps) {
      report.steps++;
      report.stepCounts[s.op] = (report.stepCounts[s.op] ?? 0) + 1;
      switch (s.op) {
        case 'make':
          makeHost(s.base);
          break;
        case 'call': {
          const a = pick(s.a, idleHost);
          if (a === undefined) break;
          const b = s.binary ? pick(s.b, idleHost) : undefined;
          const ins = b === undefined ? [a] : [a, b];
          let out: Arr | null = null;
          if (s.out === 'self' && ins.every((r) => r === a) && a.readers === 0) out = a;
          else if (s.out === 'other') out = pick(s.o, (r) => free(r) && !ins.includes(r)) ?? null;
          startCall(ins, out);
          break;
        }
        case 'dispose': {
          const r = pick(s.i, (x) => x.a !== null && !x.disposed);
          if (r === undefined) break;
          r.a!.dispose();
          r.disposed = true;
          if (r.readers + r.writers > 0) report.disposedInFlight++;
          break;
        }
        case 'write': {
          const r = pick(s.i, free);
          if (r === undefined) break;
          const j = s.j % size;
          r.a!.set(j, s.v);
          r.shadow[j] = s.v;
          break;
        }
        case 'drop': {
          const r = pick(s.i, (x) => x.a !== null && !x.disposed);
          if (r !== undefined) r.a = null;
          break;
        }
        case 'gc':
          collectGarbage();
          sweep();
          break;
        case 'scope': {
          const other = pick(s.a, idleHost);
          let t: Arr | undefined;
          let before = arrs.length;
          nb.scope(() => {
            t = makeHost(s.a % 5);
            before = arrs.length;
            if (s.mode === 'input') startCall([t], null);
            else if (s.mode === 'out' && other !== undefined) startCall([other], t);
            return s.keep ? t.a : undefined;
          });
          // Made in the scope and not returned: disposed at its end (a fresh result too,
          // which is allocated by the call inside the scope).
          for (const r of [...(s.keep ? [] : [t!]), ...arrs.slice(before)]) {
            r.disposed = true;
            if (r.readers + r.writers > 0) report.disposedInFlight++;
          }
          break;
        }
        case 'await':
          if (pending.length > 0) await settleOne(pending[s.i % pending.length]!);
          break;
        case 'tick':
          await new Promise((r) => setImmediate(r));
          break;
        case 'toGpu': {
          const r = pick(s.i, idleHost);
          if (r === undefined) break;
          const g = add(null, r.shadow.slice(), true, 1);
          track(nb.toGpu(r.a!), (v) => {
            g.writers--;
            g.a = v as nb.NDArray;
          });
          break;
        }
        case 'toCpu': {
          const g = pick(s.i, (x) => x.gpu && x.a !== null && !x.disposed && x.writers === 0);
          if (g === undefined) break;
          const h = add(null, g.shadow.slice(), false, 1);
          track(g.a!.toCpu(), (v) => {
            h.writers--;
            h.a = v as nb.NDArray;
          });
          break;
        }
        case 'gpuAdd': {
          const g = pick(s.i, (x) => x.gpu && x.a !== null && !x.disposed && x.writers === 0);
          if (g === undefined) break;
          nb.add(g.a!, s.v, { out: g.a! });
          g.shadow = g.shadow.map((x) => x + s.v);
          break;
        }
        case 'gpuCall': {
          const a = pick(s.a, idleHost);
          const out = pick(s.o, (r) => free(r) && r !== a);
          if (a === undefined || out === undefined || onGpu === null) break;
          const want = a.shadow.map((x) => gpuK(x));
          out.writers++;
          out.shadow = want;
          track(onGpu(a.a!, { out: out.a! }), (v) => {
            out.writers--;
            if (out.a !== null && v !== out.a) throw new Error('a gpu call with out= resolved to another array');
            out.a = v as nb.NDArray; // an `out` the model dropped comes back through its promise
          });
          break;
        }
      }
    }
    // The end: settle everything, then check every array against its shadow.
    while (pending.length > 0) await settleOne(pending[0]!);
    for (const r of arrs) {
      if (r.a === null) continue;
      if (r.disposed) {
        let code: unknown;
        try {
          if (r.gpu) await r.a.toCpu();
          else r.a.get(0);
        } catch (e) {
          code = (e as nb.NumbatsError).code;
        }
        if (code !== (r.gpu ? 'E_GPU_DISPOSED' : 'E_MEMORY_DISPOSED')) throw new Error(`a disposed ${r.gpu ? 'gpu' : 'host'} array was usable (got ${String(code)})`);
        report.disposedChecked++;
        continue;
      }
      const host = r.gpu ? await r.a.toCpu() : r.a;
      const got = host.data as Float32Array;
      for (let j = 0; j < size; j++) {
        if (!Object.is(got[j], r.shadow[j])) {
          throw new Error(`${r.gpu ? 'gpu' : 'host'} array of ${size}: element ${j} is ${got[j]}, the model says ${r.shadow[j]} (expected [${Array.from(r.shadow.slice(0, 8)).join(', ')}${size > 8 ? ', ...' : ''}], got [${Array.from(got.slice(0, 8)).join(', ')}${size > 8 ? ', ...' : ''}])`);
        }
      }
      if (host !== r.a) host.dispose();
      report.arraysVerified++;
      report.elementsVerified += size;
    }
    if (lifetimeStats().pinnedBlocks !== 0) throw new Error(`${lifetimeStats().pinnedBlocks} heap blocks are still pinned with no call in flight`);
    for (const r of arrs) r.a?.dispose();
    report.runs++;
    if (report.runs % 1000 === 0) {
      runtime().heap.checkInvariants();
      o.log?.(`${report.runs} interleavings, ${report.steps} steps, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }

  try {
    // Warm up (pool, kernels, pipelines), then take the heap baseline.
    await interleaving(640, [{ op: 'make', base: 1 }, { op: 'call', binary: false, a: 0, b: 0, out: 'fresh', o: 0 }, { op: 'await', i: 0 },
      ...(o.gpu ? [{ op: 'toGpu', i: 0 } as Step, { op: 'await', i: 0 } as Step, { op: 'gpuAdd', i: 0, v: 1 } as Step, { op: 'gpuCall', a: 0, o: 1 } as Step] : [])]);
    report.runs = 0;
    report.steps = 0;
    report.stepCounts = {};
    collectGarbage();
    sweep();
    report.baselineLiveBytes = nb.heapStats().liveBytes;
    const result = await fc.check(
      fc.asyncProperty(fc.constantFrom(...SIZES), fc.array(stepArb(o.gpu), { minLength: 1, maxLength: o.maxSteps ?? 10 }), (size, steps) => interleaving(size, steps)),
      { seed: o.seed, numRuns: o.runs },
    );
    if (result.failed) {
      throw new Error(`${String(result.errorInstance)}\n${fc.defaultReportMessage(result) ?? 'lifetime stress failed'}`);
    }
    // Dropped small arrays are released by the FinalizationRegistry, between tasks.
    for (let k = 0; k < 50 && nb.heapStats().liveBytes !== report.baselineLiveBytes; k++) {
      collectGarbage();
      sweep();
      await new Promise((r) => setTimeout(r, 5));
    }
    report.finalLiveBytes = nb.heapStats().liveBytes;
  } finally {
    nb.config({ parallel: { threads: before.threads, minElements: before.minElements, blockMs: before.blockMs } });
  }
  report.ms = performance.now() - t0;
  return report;
}
