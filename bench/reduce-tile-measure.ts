/**
 * Compiled ufuncs reduced along a leading axis (issue 16 item 3): a vectorize with an
 * identity gets the reduce tile (src/compiler/emit/assemblyscript/reduce-tile.ts), one
 * without keeps the row-at-a-time walk; beside them the built-in add's tile. 2000x2000
 * float64, axis 0, in one process, round by round, in CPU time (process.cpuUsage).
 *
 *   npx tsx bench/reduce-tile-measure.ts
 */
import * as nb from '../src/index.js';
const A = nb.linspace(0, 1, 4e6).reshape([2000, 2000]);
const k = (a: number, b: number) => a + b;
const withId = nb.vectorize('f8(f8, f8)', { identity: 0, tier: 'wasm', name: 'addId' })(k) as unknown as { reduce(a: nb.NDArray, o: object): nb.NDArray };
const noId = nb.vectorize('f8(f8, f8)', { tier: 'wasm', name: 'addNoId' })(k) as unknown as { reduce(a: nb.NDArray, o: object): nb.NDArray };
const fs: Record<string, () => nb.NDArray> = {
  'vectorize identity=0 (tile)': () => withId.reduce(A, { axis: 0 }),
  'vectorize no identity (row walk)': () => noId.reduce(A, { axis: 0 }),
  'nb.add.reduce (built-in tile)': () => nb.add.reduce(A, { axis: 0 }),
};
for (const f of Object.values(fs)) for (let i = 0; i < 10; i++) f().dispose();
const t: Record<string, number[]> = {};
for (let r = 0; r < 25; r++) for (const [key, f] of Object.entries(fs)) { const c = process.cpuUsage(); f().dispose(); const u = process.cpuUsage(c); (t[key] ??= []).push((u.user + u.system) * 1e3 / 4e6); }
for (const [key, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(`${key}: cpu ns/el min ${v[0]!.toFixed(3)} median ${v[12]!.toFixed(3)}`); }
