/**
 * `npm run bench`: runs every benchmark suite and prints ns/element with ratios against
 * baselines measured in the same run (plain JS loops; NumPy when a python3 with numpy is
 * found — set NUMBATS_PYTHON to choose one). `npm run bench -- --markdown` prints only the table.
 * `npm run bench -- --report` also times other JS libraries (bench/report/others.ts) and writes
 * bench/REPORT.md with SVG charts (bench/report/). `npm run bench -- --only memory` (or
 * `-- memory`) runs only the heap-growth loop of bench/memory-growth.ts, never part of a full run.
 * `npm run bench -- ndarray ufuncs --match='per call'` runs only the cases whose name contains the text.
 */
import { cpus, loadavg } from 'node:os';
import { assertWasm, findNumbaPython, findNumpyPython, formatTable, runNumpy, timeIt, type Case, type Result } from './harness.js';

// Suites load only when selected: `npm run bench -- parallel` needs neither the PNG codec of
// the downsample suite nor the other libraries of the report.
// `perCall`: the script prints ns per call (not per element); `numba`: it needs a python with
// Numba (findNumbaPython), not only NumPy.
const suites: Array<{ name: string; cases: () => Promise<Case[]> | Case[]; numpyScript?: string; perCall?: boolean; numba?: boolean }> = [
  { name: 'ndarray', cases: async () => (await import('./ndarray.bench.js')).ndarrayCases(), numpyScript: 'ndarray.py' },
  { name: 'stream', cases: async () => (await import('./stream.js')).streamCases(), numpyScript: 'stream.py' },
  { name: 'ufuncs', cases: async () => (await import('./ufuncs.bench.js')).ufuncCases(), numpyScript: 'ufuncs.py' },
  { name: 'vectorize', cases: async () => (await import('./vectorize.bench.js')).vectorizeCases(), numpyScript: 'vectorize.py' },
  { name: 'parallel', cases: async () => (await import('./parallel.bench.js')).parallelCases() },
  { name: 'downsample', cases: async () => (await import('./downsample.bench.js')).downsampleCases(), numpyScript: 'downsample.py' },
  { name: 'jit', cases: async () => (await import('./jit.bench.js')).jitCases(), numpyScript: 'jit.py', perCall: true, numba: true },
];

const report = process.argv.includes('--report');
const loadBefore = loadavg();
const rep = report ? await import('./report/others.js') : undefined;
const reportLib = report ? await import('./report/report.js') : undefined;
if (rep) {
  await rep.loadJax();
  suites.push({ name: 'js-libraries', cases: rep.jsLibraryCases });
}
const sections: import('./report/report.js').Section[] = [];
const pyExtras: Record<string, Record<string, number>> = {};

const py = findNumpyPython();
console.log(`# numbats benchmarks — ${new Date().toISOString().slice(0, 10)}`);
console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.log(py ? `NumPy ${py.version} (${py.python})` : 'NumPy: not found (no python3 with numpy); NumPy columns skipped');

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// `--match=n=16`: only the cases whose name contains the text (the suites still load whole).
const match = process.argv.find((a) => a.startsWith('--match='))?.slice('--match='.length);
// Heap growth (issue 16 item 1): its own processes and its own report (per-call ms, heap
// high-water), so it runs only when named: `npm run bench -- --only memory`.
if (only.includes('memory')) {
  const { runGrowthSuite } = await import('./memory-growth.js');
  console.log('\n## memory (heap growth: r = f(x) x 36 in a fresh process per size, then out=)\n');
  runGrowthSuite([1e5, 1e6, 1e7], 36);
}
for (const suite of suites.filter((s) => only.length === 0 || only.includes(s.name))) {
  const cases = rep ? rep.withOthers(await suite.cases()) : await suite.cases();
  const pyFor = suite.numba ? findNumbaPython() : py;
  if (suite.numba && !pyFor) console.log(`\n(${suite.name}: no python with numba found; Numba columns skipped)`);
  const np = pyFor && suite.numpyScript ? runNumpy(pyFor.python, suite.numpyScript)
    : py && rep && suite.name === 'js-libraries' ? reportLib!.runJsLibrariesPy(py.python) : {};
  pyExtras[suite.name] = np;
  const results: Result[] = [];
  const sizes = new Map<string, number>();
  for (const c of cases) {
    if (match !== undefined && !c.name.includes(match)) continue;
    sizes.set(c.name, c.elements);
    // A kernel still on the JS tier (its Wasm compiling in the background) is not timed.
    if (c.kernels) assertWasm(c.name, c.kernels);
    // Interleave to share the machine's noise between both sides.
    const nbT = timeIt(c.run);
    const jsT = timeIt(c.baseline, c.baselineReps);
    const r: Result = { name: c.name, numbats: nbT, plainJs: jsT };
    const per = suite.perCall ? 1 : c.elements;
    if (c.numpy && np[c.numpy] !== undefined) r.numpy = np[c.numpy]! * per;
    if (c.numba && np[c.numba] !== undefined) r.numba = np[c.numba]! * per;
    for (const [lib, fn] of Object.entries(c.others ?? {})) {
      (r.others ??= {})[lib] = lib === 'jax-js' ? await rep!.timeAsync(fn) : timeIt(fn);
    }
    results.push(r);
  }
  console.log(`\n## ${suite.name}\n`);
  console.log(formatTable(results, sizes));
  sections.push({ suite: suite.name, results, sizes, notes: [] });
}

if (rep && reportLib) {
  const { downsampleNotes } = await import('./report/notes.js');
  const ds = sections.find((s) => s.suite === 'downsample');
  if (ds) ds.notes.push(downsampleNotes(ds, pyExtras.downsample ?? {}).join('\n'));
  const par = sections.find((s) => s.suite === 'parallel');
  if (par) par.notes.push("In this suite the 'plain JS' column is numbats' **cpu target** doing the same work (see bench/README.md): the ratio is parallel time / cpu time, which depends on a free second core.");
  const libs = sections.find((s) => s.suite === 'js-libraries');
  if (libs) libs.notes.push(`gpu.js ${rep.gpuMode ? `ran in its '${rep.gpuMode}' mode (no WebGL/WebGPU context in headless Node: its CPU fallback)` : 'did not run'}; jax-js ran on its '${rep.jaxDevice ?? 'n/a'}' backend (WebGPU/WebGL backends need a browser). Both compute in float32 only, so this suite is float32.`);
  const path = reportLib.writeReport(sections, {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    numpy: py?.version,
    numba: Object.values(pyExtras).map((x) => (x as Record<string, unknown>).numba_version).find(Boolean) as string | undefined,
    skipped: rep.skipped,
    libraries: ['ndarray-ops', 'gpu.js', '@jax-js/jax'].filter((l) => !(l in rep.skipped)),
    loadBefore,
    notes: [],
  });
  console.log(`\nreport written: ${path}`);
  const { shutdown } = await import('../src/index.js');
  await shutdown();
}
