// A consumer's program: type-checked by test/package/consumer.test.ts in strict projects with
// `skipLibCheck: false` (a Node project with and without @types/node, a browser-lib project)
// against the packed numbats tarball, then compiled and run on Node. It uses only the public
// API, as a user would.
import * as nb from 'numbats';

const lines: string[] = [];
const show = (label: string, v: unknown): void => {
  lines.push(`${label}: ${String(v)}`);
};

// vectorize: a Numba-style signature; broadcasting with a JS scalar.
const fma = nb.vectorize('float64(float64, float64)')((x: number, y: number) => x * y + 1);
const x = nb.linspace(0, 1, 5);
show('vectorize', fma(x, 2));
show('vectorize.callAsync', await fma.callAsync(x, 2));

// guvectorize: the kernel writes its output into its last argument.
const rowdot = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')(
  (a: Float64Array, b: Float64Array, out: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    out[0] = s;
  },
);
show('guvectorize', rowdot(nb.ones([2, 3]), nb.full([2, 3], 2)));

// stencil: relative neighbour access with a boundary mode.
const right = nb.stencil((a: (i: number) => number) => a(0) + a(1), { mode: 'nearest' });
show('stencil', right(nb.array([1, 2, 3])));

// jit: a whole function over an NDArray (Numba's @njit), specialised on the argument types.
const sum2d = nb.jit((a: nb.NDArray) => {
  const [rows, cols] = a.shape;
  let total = 0.5;
  for (let i = 0; i < rows!; i++) for (let j = 0; j < cols!; j++) total += a.get(i, j) as number;
  return total;
});
show('jit', sum2d(nb.ones([2, 3])));

// The ufunc methods.
const m = nb.arange(6).reshape([2, 3]);
show('reduce', nb.add.reduce(m, { axis: 1 }));
show('accumulate', nb.multiply.accumulate(nb.array([2, 3, 5])));
show('reduceat', nb.add.reduceat(nb.arange(8), [0, 4]));
show('outer', nb.multiply.outer([1, 2], [3, 4, 5]));
const at = nb.array([1, 2, 3]);
nb.add.at(at, [0, 0], 1);
show('at', at);
show('divmod', nb.divmod(nb.array([7, -7]), 2).join(' | '));

// scijs interop and deterministic release (Symbol.dispose is typed whatever the lib).
const s = nb.arange(4, undefined, undefined, 'float32').toNdarray();
show('toNdarray', `${s.dtype} ${s.get(3)}`);
const back = nb.fromNdarray(s);
show('fromNdarray', back);
back[Symbol.dispose]();

console.log(lines.join('\n'));
nb.shutdown().catch(() => undefined);
