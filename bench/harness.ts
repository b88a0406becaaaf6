/**
 * Benchmark plumbing: timing with warm-up and medians, a Python/NumPy side-runner, and the
 * result table. Names follow `op=copy,dtype=float64,layout=contiguous,n=1e7` so results can
 * be parsed; every function's result is consumed so nothing is optimised away.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Case {
  /** Parseable name, e.g. `op=copy,dtype=float64,n=1e7`. */
  name: string;
  /** Elements processed per call, for ns/element. */
  elements: number;
  /** numbats. */
  run: () => unknown;
  /** The same work as a plain JS loop over TypedArrays. */
  baseline: () => unknown;
  /** Key of the same case in bench/numpy/*.py output, when NumPy has one. */
  numpy?: string;
  /** Key of the same case done with Numba (same script's output), when there is one. */
  numba?: string;
  /**
   * Timed batches for the baseline (default 11): fewer for baselines of seconds per call
   * (the plain-JS jit functions on a 60 MB image).
   */
  baselineReps?: number;
  /** The same work in other JS libraries (`ndarray-ops`, ...), timed by `--report` (bench/report/). */
  others?: Record<string, () => unknown>;
  /**
   * The compiled kernels `run` calls: run.ts refuses to time the case unless every one is on
   * the Wasm tier ({@link assertWasm}).
   */
  kernels?: readonly Tiered[];
}

/**
 * A compiled function (vectorize, guvectorize, jit, stencil): its tier state (API.md). Both
 * are absent on builds from before tiers (bench/*-measure.ts load older checkouts), whose
 * factories compiled the Wasm before returning.
 */
export interface Tiered {
  readonly ready?: Promise<unknown>;
  readonly tier?: string;
  readonly name?: string;
}

/**
 * Throw unless every kernel runs on the Wasm tier. Kernels are tiered (tier 'auto', the
 * default): their first calls run the JS tier while the Wasm compiles in the background, so
 * a bench that times a kernel before `.ready` settles measures the JS tier (5-10x slower).
 *
 * @example
 * ```ts
 * assertWasm('x*y+1', [f]);
 * ```
 */
export function assertWasm(what: string, kernels: readonly Tiered[]): void {
  const js = kernels.filter((k) => k.tier !== undefined && k.tier !== 'wasm');
  if (js.length > 0) {
    throw new Error(`bench: '${what}' would time kernel(s) ${js.map((k) => `'${k.name ?? '?'}'`).join(', ')} on the '${js[0]!.tier}' tier: await wasmReady(...) first`);
  }
}

/**
 * Await `.ready` of every kernel (their Wasm tier in place) and check that they run on it,
 * then the modules that replace their direct modules in the background (src/vectorize/tier.ts
 * Tiers.optimize: a kernel that calls the math library), so that what is timed is the final
 * code. Returns the kernels, so a case list can keep them for run.ts's check.
 *
 * @example
 * ```ts
 * const f = nb.vectorize('f8(f8)')((x) => x + 1);
 * await wasmReady(f);
 * ```
 */
export async function wasmReady<T extends Tiered>(...kernels: T[]): Promise<T[]> {
  await Promise.all(kernels.map((k) => k.ready));
  await Promise.all(kernels.map((k) => (k as unknown as Record<symbol, Promise<void> | undefined>)[Symbol.for('numbats.optimized')]));
  assertWasm('wasmReady', kernels);
  return kernels;
}

export interface Result {
  name: string;
  numbats: number;
  plainJs: number;
  numpy?: number;
  numba?: number;
  /** ns per call of `Case.others`, by library. */
  others?: Record<string, number>;
}

let sink = 0;
function consume(x: unknown): void {
  if (typeof x === 'number') sink += x;
  else if (x && typeof x === 'object' && 'size' in x) sink += Number((x as { size: number }).size);
}

/**
 * Median ns per call of `fn`. Calls are timed in batches of at least ~20 ms (so that a
 * 16-element call is JIT-optimised and timer overhead vanishes), after a warm-up batch.
 */
export function timeIt(fn: () => unknown, reps = 11): number {
  const now = () => Number(process.hrtime.bigint());
  // Warm up: V8 first runs Wasm functions in its baseline tier and tiers hot ones up
  // (measured: the first ~10-30 calls of a loop are 2-4x slower). 30 calls or 1 s.
  const warmEnd = now() + 1e9;
  for (let i = 0; i < 30 && now() < warmEnd; i++) consume(fn());
  // Calibrate the batch size.
  let batch = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < batch; i++) consume(fn());
    const dt = now() - t0;
    if (dt >= 20e6 || batch >= 1 << 22) break;
    batch *= dt < 2e6 ? 10 : 2;
  }
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    for (let i = 0; i < batch; i++) consume(fn());
    t.push((now() - t0) / batch);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

/**
 * The Python interpreter that has NumPy, or undefined (NumPy columns are then skipped):
 * `NUMBATS_PYTHON`, then the `python3` first on PATH (the newest NumPy, as the fixtures
 * use), then `/usr/bin/python3`.
 */
export function findNumpyPython(): { python: string; version: string } | undefined {
  const candidates = [process.env.NUMBATS_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return undefined;
}

/**
 * The Python interpreter that has Numba (and NumPy), or undefined (Numba columns are then
 * skipped): `NUMBATS_PYTHON`, then `python3`, then `/usr/bin/python3`.
 */
export function findNumbaPython(): { python: string; version: string } | undefined {
  const candidates = [process.env.NUMBATS_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import numpy, numba; print(numba.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return undefined;
}

/** Run bench/numpy/<script> and return its {key: ns per element} JSON. */
export function runNumpy(python: string, script: string): Record<string, number> {
  // From bench/ (tsx) or from dist/bench/ (compiled): the scripts stay in bench/numpy/.
  const here = fileURLToPath(new URL(`./numpy/${script}`, import.meta.url));
  const path = existsSync(here) ? here : fileURLToPath(new URL(`../../bench/numpy/${script}`, import.meta.url));
  // OpenBLAS variables set on some machines slow NumPy down; they do not matter for ufuncs.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(python, [path], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

/** Print results as a markdown table of ns/element and ratios (numbats time / other time). */
export function formatTable(results: Result[], caseElements: Map<string, number>): string {
  const f = (x: number) => x.toFixed(3);
  const hasNumba = results.some((r) => r.numba !== undefined);
  const head = ['case', 'numbats ns/el', 'plain JS ns/el', 'numbats / JS', 'NumPy ns/el', 'numbats / NumPy'];
  if (hasNumba) head.push('Numba ns/el', 'numbats / Numba');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    const n = caseElements.get(r.name)!;
    const nb = r.numbats / n;
    const js = r.plainJs / n;
    const cols = [r.name, f(nb), f(js), `${(nb / js).toFixed(2)}x`];
    for (const other of hasNumba ? [r.numpy, r.numba] : [r.numpy]) {
      const o = other === undefined ? undefined : other / n;
      cols.push(o === undefined ? 'n/a' : f(o), o === undefined ? 'n/a' : `${(nb / o).toFixed(2)}x`);
    }
    lines.push(`| ${cols.join(' | ')} |`);
  }
  if (sink === -1) lines.push('');
  return lines.join('\n');
}
