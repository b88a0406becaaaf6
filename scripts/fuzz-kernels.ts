/**
 * The kernel compiler's differential fuzzer, long run (test/fuzz/ has the fixed-seed run in
 * `npm test`): `npx tsx scripts/fuzz-kernels.ts --kernels 2000 --seed 7 [--batch 150] [--known-bugs]`
 * (`--known-bugs`: also generate the constructs of known, unfixed bugs — none at present,
 * test/fuzz/regressions.test.ts). Runs so far: seeds 1-14, 2000 kernels each, all clean after
 * the fixes pinned in regressions.test.ts.
 * Prints the counts and every failing kernel's signature and source; exits 1 on any failure.
 */
import { runFuzz } from '../test/fuzz/run.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const kernels = arg('kernels', 2000);
const seed = arg('seed', 7);
const batch = arg('batch', 150);
const t0 = Date.now();
const knownBugs = process.argv.includes('--known-bugs');
const stats = await runFuzz(seed, kernels, { batchSize: batch, avoidKnownBugs: !knownBugs, onProgress: (s) => process.stderr.write(`  ... ${s.tried} tried, ${s.mismatches} mismatches\n`) });
for (const f of stats.divergences) {
  console.log(`--- DIVERGENT (libm difference amplified, not counted as a failure) ${f.signature}: ${f.problem}\n${f.source}\n`);
}
for (const f of stats.failures) {
  console.log(`--- FAIL ${f.signature}: ${f.problem}\n${f.source}\n`);
}
console.log(`seed ${seed}: kernels tried ${stats.tried}, rejected with KernelError ${stats.rejected}, compiled ${stats.compiled}, ` +
  `inputs compared ${stats.inputsCompared} (plain JS ${stats.plainJsCompared}), mismatches ${stats.mismatches}, approximate (transcendental tolerance) ${stats.approximate}, divergent (transcendental) ${stats.divergent}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`KernelError codes: ${JSON.stringify(stats.codes)}`);
process.exit(stats.mismatches === 0 ? 0 : 1);
