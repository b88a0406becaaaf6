/**
 * Issue 17's acceptance "Node behaviour and performance unchanged": the bench's ufunc and
 * vectorize rows on two numbats builds in one process, calls interleaved round by round (so
 * both see the same machine load), as bench/ab-builds.ts does. "before" is the first parent
 * of the merge that brought the platform seams (src/platform) in, 6a1a628; "after" is this
 * checkout. Run by hand:
 *
 *   git worktree add /tmp/br-before 6a1a628 && ln -s "$PWD/node_modules" /tmp/br-before/
 *   (cd /tmp/br-before && node scripts/build-asm.mjs)
 *   npx tsx bench/ab-seams.ts /tmp/br-before [rounds=25] [row filter, a regular expression]
 *
 * Both builds have tiers (issue 12): every kernel's `.ready` is awaited and its `.tier` checked
 * to be 'wasm' before timing, so both sides time their Wasm. Prints per row and build the min
 * and the median over the rounds (ns per element; per call for the n=16 rows, each sample
 * being 1000 calls), then after/before of the medians and of the mins. The harness's own bias,
 * from an A/A run (this commit on both sides, 101 rounds, n=16 rows): after/before 1.026 and
 * 1.028, the statically imported build being the slower; read ratios against that.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import * as after from '../src/index.js';

type NB = typeof after;
/** [one sample, the unit it is divided by (elements, or calls)]. */
type Row = [run: () => void, per: number];

const N = 1e7;
const SMALL_CALLS = 1000;

async function rows(nb: NB): Promise<Record<string, Row>> {
  const x = nb.linspace(0, 1, N);
  const y = nb.linspace(1, 2, N);
  const out = nb.empty([N]);
  const x6 = nb.linspace(0, 1, 1e6);
  const y6 = nb.linspace(1, 2, 1e6);
  const out6 = nb.empty([1e6]);
  const s1 = nb.linspace(0, 1, 16);
  const s2 = nb.linspace(1, 2, 16);
  const xy1 = nb.vectorize('float64(float64, float64)')((a: number, b: number) => a * b + 1);
  const rowdot = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')(
    (a: Float64Array, b: Float64Array, r: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      r[0] = s;
    },
  );
  for (const k of [xy1, rowdot]) {
    await k.ready;
    if (k.tier !== 'wasm') throw new Error(`a kernel is on its ${k.tier} tier after .ready`);
  }
  const R = 1e5;
  const A = nb.linspace(0, 1, R * 32).reshape([R, 32]);
  const B = nb.linspace(0, 1, R * 32).reshape([R, 32]).slice('::-1').copy();
  const ro = nb.empty([R]);
  const small = (call: () => { dispose(): void }): Row => [() => { for (let i = 0; i < SMALL_CALLS; i++) call().dispose(); }, SMALL_CALLS];
  return {
    'add f64 1e7 out=': [() => nb.add(x, y, { out }), N],
    'add f64 1e6 out=': [() => nb.add(x6, y6, { out: out6 }), 1e6],
    'exp f64 1e7 out=': [() => nb.exp(x, { out }), N],
    'sin f64 1e7 out=': [() => nb.sin(x, { out }), N],
    'add f64 n=16 new output (per call)': small(() => nb.add(s1, s2)),
    'add.reduce f64 1e7': [() => nb.add.reduce(x), N],
    'vectorize x*y+1 f64 1e7 out=': [() => xy1(x, y, { out }), N],
    'vectorize x*y+1 f64 n=16 new output (per call)': small(() => xy1(s1, s2)),
    'guvectorize rowdot (1e5,32) f64 out=': [() => rowdot(A, B, { out: ro }), R * 32],
  };
}

const beforeDir = process.argv[2];
if (!beforeDir) throw new Error('usage: npx tsx bench/ab-seams.ts <before checkout, asm built> [rounds]');
const before = (await import(pathToFileURL(join(beforeDir, 'src/index.ts')).href)) as NB;
const rounds = Number(process.argv[3] ?? 25);
const only = new RegExp(process.argv[4] ?? '');
const pick = (rs: Record<string, Row>) => Object.fromEntries(Object.entries(rs).filter(([name]) => only.test(name)));
const builds: Array<[string, Record<string, Row>]> = [['before', pick(await rows(before))], ['after', pick(await rows(after))]];
const times = new Map<string, number[]>();
const time = (key: string, [run, per]: Row) => {
  const t0 = performance.now();
  run();
  times.set(key, [...(times.get(key) ?? []), ((performance.now() - t0) * 1e6) / per]);
};
// Warm-up: V8 tiers a new Wasm module up from Liftoff over its first calls.
for (const [, rs] of builds) for (const r of Object.values(rs)) for (let i = 0; i < 5; i++) r[0]();
for (let r = 0; r < rounds; r++) {
  // Alternate which build goes first, so neither always runs on the other's warm caches.
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const name of Object.keys(builds[0]![1])) for (const [build, rs] of order) time(`${name} | ${build}`, rs[name]!);
}
const stat = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return { min: s[0]!, median: s[s.length >> 1]! }; };
const unit = (name: string) => (name.includes('per call') ? 'ns/call' : 'ns/elem');
console.log(`row | unit | before min | before median | after min | after median | after/before median | after/before min`);
for (const name of Object.keys(builds[0]![1])) {
  const b = stat(times.get(`${name} | before`)!);
  const a = stat(times.get(`${name} | after`)!);
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(3));
  console.log(`${name} | ${unit(name)} | ${f(b.min)} | ${f(b.median)} | ${f(a.min)} | ${f(a.median)} | ${(a.median / b.median).toFixed(3)} | ${(a.min / b.min).toFixed(3)}`);
}
process.exit(0);
