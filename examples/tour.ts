/**
 * A short tour of numbats' array core: create, slice, broadcast, cast, print.
 * Run with `npm run demo` (after `npm ci`).
 */
import * as nb from '../src/index.js';

const show = (label: string, x: unknown) => console.log(`\n${label}\n${String(x)}`);

// Creating arrays: NumPy's dtype inference (JS integers are int64, as Python ints are).
const a = nb.arange(12).reshape([3, 4]);
show('a = nb.arange(12).reshape([3, 4])', a);
show('nb.linspace(0, 1, 5)', nb.linspace(0, 1, 5));
show("nb.zeros([2, 3], 'float32')", nb.zeros([2, 3], 'float32'));

// Views share memory: slicing, negative steps, new axes, transposes.
show("a.slice('1:', '::-2')  (rows 1.., every 2nd column reversed)", a.slice('1:', '::-2'));
show('a.T', a.T);
show("a.slice(null, 0).shape  (a new axis)", JSON.stringify(a.slice(null, 0).shape));
const v = a.slice(':', 1);
v.set(0, 100);
show('after a.slice(":", 1).set(0, 100), a is', a);

// Broadcasting: stride-0 views, no copies.
const row = nb.array([10, 20, 30, 40], { dtype: 'int16' });
show('nb.broadcastTo(row, [3, 4])', nb.broadcastTo(row, [3, 4]));
show('nb.broadcastShapes([5, 1, 4], [3, 1])', JSON.stringify(nb.broadcastShapes([5, 1, 4], [3, 1])));

// Casting: NumPy's promotion and casting rules, and its unsafe-cast results.
const f = nb.array([1.7, -1.7, 300, NaN]);
show("f.astype('int8')  (truncation, wraparound, NaN)", f.astype('int8'));
show("nb.array([-1, 256]).astype('uint8')", nb.array([-1, 256]).astype('uint8'));
show("nb.promoteTypes('int8', 'uint8')", nb.promoteTypes('int8', 'uint8'));
show("nb.resultType('int8', 2)  (a weak JS scalar keeps int8)", nb.resultType('int8', 2));
show("nb.canCast('float64', 'int32', 'same_kind')", nb.canCast('float64', 'int32', 'same_kind'));
try {
  f.astype('int32', { casting: 'safe' });
} catch (e) {
  show('f.astype("int32", { casting: "safe" }) throws', `${(e as nb.NumbatsError).name} [${(e as nb.NumbatsError).code}]: ${(e as Error).message}`);
}

// Memory: arrays live in one shared WebAssembly heap and are released automatically;
// dispose() and nb.scope() release at once.
const total = nb.scope(() => {
  const big = nb.ones([1_000_000]);
  return big.slice('::1000').copy(); // only this survives the scope
});
show('a value kept from a scope', total.shape);
const s = nb.heapStats();
show('nb.heapStats()', `${(s.heapBytes / 2 ** 20).toFixed(0)} MiB heap, ${s.liveBlocks} live blocks`);

// Ufuncs: NumPy's built-ins as SIMD Wasm loops, with out / where / casting / dtype.
const x = nb.linspace(0, 1, 5);
show('nb.exp(nb.negative(nb.square(x)))', nb.exp(nb.negative(nb.square(x))));
show("nb.add(nb.array([1, 2], { dtype: 'int8' }), 127)  (wraps as int8)", nb.add(nb.array([1, 2], { dtype: 'int8' }), 127));
show('nb.divide(nb.arange(4), 2)  (true division)', nb.divide(nb.arange(4), 2));
const [q, r] = nb.divmod(nb.array([7, -7]), 2);
show('nb.divmod([7, -7], 2)  (floor division, Python-sign modulo)', `${q}  ${r}`);
const m = nb.arange(12).reshape([3, 4]);
show('nb.add.reduce(m, { axis: 0 })', nb.add.reduce(m, { axis: 0 }));
show('nb.maximum.accumulate(nb.array([1, 3, 2, 5, 4]))', nb.maximum.accumulate(nb.array([1, 3, 2, 5, 4])));
show('nb.multiply.outer([1, 2, 3], [10, 20])', nb.multiply.outer(nb.array([1, 2, 3]), nb.array([10, 20])));
const out = nb.zeros([4]);
nb.sqrt(nb.array([4, 9, 16, 25]), { out, where: nb.array([true, false, true, false]) });
show('nb.sqrt(..., { out, where })', out);
show('nb.matmul(m, m.T)', nb.matmul(m, m.T));
