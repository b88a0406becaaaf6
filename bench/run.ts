/**
 * `npm run bench`: runs every benchmark suite and prints ns/element with ratios against
 * baselines measured in the same run (plain JS loops; NumPy when a python3 with numpy is
 * found — set NUMBATS_PYTHON to choose one). `npm run bench -- --markdown` prints only the table.
 */
import { cpus } from 'node:os';
import { ndarrayCases } from './ndarray.bench.js';
import { ufuncCases } from './ufuncs.bench.js';
import { vectorizeCases } from './vectorize.bench.js';
import { parallelCases } from './parallel.bench.js';
import { findNumpyPython, formatTable, runNumpy, timeIt, type Case, type Result } from './harness.js';

const suites: Array<{ name: string; cases: () => Case[]; numpyScript?: string }> = [
  { name: 'ndarray', cases: ndarrayCases, numpyScript: 'ndarray.py' },
  { name: 'ufuncs', cases: ufuncCases, numpyScript: 'ufuncs.py' },
  { name: 'vectorize', cases: vectorizeCases, numpyScript: 'vectorize.py' },
  { name: 'parallel', cases: parallelCases },
];

const py = findNumpyPython();
console.log(`# numbats benchmarks — ${new Date().toISOString().slice(0, 10)}`);
console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.log(py ? `NumPy ${py.version} (${py.python})` : 'NumPy: not found (no python3 with numpy); NumPy columns skipped');

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const suite of suites.filter((s) => only.length === 0 || only.includes(s.name))) {
  const cases = suite.cases();
  const np = py && suite.numpyScript ? runNumpy(py.python, suite.numpyScript) : {};
  const results: Result[] = [];
  const sizes = new Map<string, number>();
  for (const c of cases) {
    sizes.set(c.name, c.elements);
    // Interleave to share the machine's noise between both sides.
    const nbT = timeIt(c.run);
    const jsT = timeIt(c.baseline);
    const r: Result = { name: c.name, numbats: nbT, plainJs: jsT };
    if (c.numpy && np[c.numpy] !== undefined) r.numpy = np[c.numpy]! * c.elements;
    if (c.numba && np[c.numba] !== undefined) r.numba = np[c.numba]! * c.elements;
    results.push(r);
  }
  console.log(`\n## ${suite.name}\n`);
  console.log(formatTable(results, sizes));
}
