/**
 * Issue 20: Numba compatibility details of vectorize and guvectorize. Every expected value
 * below was produced by Numba 0.68.0 on NumPy 2.4.6 (`python3 -m pip install numba`), with
 * the Python shown beside each test, and pasted here as literals. Where numbats deliberately
 * differs (a typed error instead of Numba's silent data loss), the test says so.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { parseKernelSignature } from '../../src/compiler/signature.js';

type A = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const code = (c: string) => expect.objectContaining({ code: c });
const add2 = (a: number, b: number) => a + b;

describe('identity: NumPy\'s and Numba\'s forms (item 1)', () => {
  // Numba: nb.vectorize(['int64(int64,int64)'], identity=ident)(lambda a, b: a + b), then
  // f.identity, f.reduce(np.array([1, 2, 3])), f.reduce(np.array([], dtype=np.int64)),
  // f.reduce(np.arange(6).reshape(2, 3), axis=None), f.reduce(..., initial=5).
  it("identity: 'reorderable' is reorderable without an identity value (Numba's PyUFunc_ReorderableNone)", () => {
    const f = nb.vectorize(['int64(int64,int64)'], { identity: 'reorderable' })(add2);
    expect(f.identity).toBe(null); // Numba: f.identity is None
    expect(f.reduce(nb.array([1, 2, 3])).item()).toBe(6n); // np.int64(6)
    expect(f.reduce(nb.arange(6).reshape([2, 3]), { axis: null }).item()).toBe(15n); // axis=None: np.int64(15)
    // Several axes start from the first element once (not counted twice):
    // f8 version: f.reduce(np.ones((2, 3)), axis=None) -> 6.0; f.reduce(x, axis=(0, 2)) -> [60., 92., 124.];
    // f.reduce(x.T, axis=(1, 2)) -> [60., 66., 72., 78.] with x = np.arange(24.).reshape(2, 3, 4).
    const g = nb.vectorize(['f8(f8,f8)'], { identity: 'reorderable' })(add2);
    const x = nb.arange(24).astype('float64').reshape([2, 3, 4]);
    expect(g.reduce(nb.ones([2, 3]), { axis: null }).item()).toBe(6);
    expect(g.reduce(x, { axis: [0, 2] }).toArray()).toEqual([60, 92, 124]);
    expect(g.reduce(x.T, { axis: [1, 2] }).toArray()).toEqual([60, 66, 72, 78]);
    // NumPy: np.add.reduce(x, axis=(0, 2), initial=None) -> [60., 92., 124.] (the same path for a built-in).
    expect(nb.add.reduce(x, { axis: [0, 2], initial: null }).toArray()).toEqual([60, 92, 124]);
    expect(f.reduce(nb.array([1, 2, 3]), { initial: 5 }).item()).toBe(11n); // initial=5: np.int64(11)
    expect(f.reduce(nb.array([], { dtype: 'int64' }), { initial: 5 }).item()).toBe(5n); // np.int64(5)
    // Numba: "zero-size array to reduction operation <lambda> which has no identity"
    expect(() => f.reduce(nb.array([], { dtype: 'int64' }))).toThrowError(code('E_VALUE_EMPTY_REDUCTION'));
    // Numba: "reduction operation '<lambda>' does not have an identity, so to use a where mask one has to specify 'initial'"
    expect(() => f.reduce(nb.array([1, 2, 3]), { where: [true, false, true] })).toThrow(/initial/);
    expect(f.reduce(nb.array([1, 2, 3]), { where: [true, false, true], initial: 10 }).item()).toBe(14n); // np.int64(14)
    expect(f.accumulate(nb.array([1, 2, 3])).toArray()).toEqual([1n, 3n, 6n]);
  });

  it('identity: null (and omitted) is neither an identity nor reorderable (Numba: identity=None)', () => {
    for (const f of [nb.vectorize(['int64(int64,int64)'], { identity: null })(add2), nb.vectorize(['int64(int64,int64)'])(add2)]) {
      expect(f.identity).toBe(null);
      expect(f.reduce(nb.array([1, 2, 3])).item()).toBe(6n);
      // Numba: "reduction operation '<lambda>' is not reorderable, so at most one axis may be specified"
      expect(() => f.reduce(nb.arange(6).reshape([2, 3]), { axis: null })).toThrowError(code('E_VALUE_REORDERABLE'));
      expect(() => f.reduce(nb.array([], { dtype: 'int64' }))).toThrowError(code('E_VALUE_EMPTY_REDUCTION'));
      expect(f.reduce(nb.array([], { dtype: 'int64' }), { initial: 5 }).item()).toBe(5n);
    }
  });

  it('a number or boolean identity is the empty reduction and makes the ufunc reorderable (Numba: identity=1, True)', () => {
    const one = nb.vectorize(['int64(int64,int64)'], { identity: 1 })(add2);
    expect(one.identity).toBe(1);
    expect(one.reduce(nb.array([1, 2, 3])).item()).toBe(7n); // Numba: np.int64(7) (the identity is the start value)
    expect(one.reduce(nb.array([], { dtype: 'int64' })).item()).toBe(1n);
    expect(one.reduce(nb.arange(6).reshape([2, 3]), { axis: null }).item()).toBe(16n); // np.int64(16)
    // where= starts from the identity once and skips masked elements (not: masked elements become the identity).
    expect(one.reduce(nb.array([1, 2, 3]), { where: [true, false, true] }).item()).toBe(5n); // np.int64(5)
    expect(one.reduce(nb.array([1, 2, 3]), { where: [false, true, true] }).item()).toBe(6n); // np.int64(6)
    // Identity 10 (Numba allows only 0 and 1; NumPy's frompyfunc any value): the same rule, starting from 10.
    // NumPy: np.frompyfunc(lambda a, b: a * b, 2, 1, identity=10).reduce(np.array([2., 3., 5.], dtype=object),
    // where=np.array([True, False, True]), initial=10) is 100.0.
    const mul10 = nb.vectorize(['float64(float64,float64)'], { identity: 10 })((a: number, b: number) => a * b);
    expect(mul10.reduce(nb.array([2, 3, 5]).astype('float64'), { where: [true, false, true] }).item()).toBe(100);
    expect(mul10.reduce(nb.array([2, 3, 5]).astype('float64')).item()).toBe(300);
    const t = nb.vectorize(['int64(int64,int64)'], { identity: true })(add2);
    expect(t.identity).toBe(true); // Numba stores 1; NumPy's frompyfunc(identity=True) keeps True
    expect(t.reduce(nb.array([], { dtype: 'int64' })).item()).toBe(1n);
    // NumPy's frompyfunc accepts any identity value (Numba only 0, 1, None, 'reorderable'): a number, as NumPy.
    const lazy = nb.vectorize({ identity: 2.5 })(add2);
    expect(lazy.reduce(nb.array([], { dtype: 'float64' })).item()).toBe(2.5);
  });

  it("rejects other identities with E_VALUE_OPTION (Numba: ValueError \"Invalid identity value 'none'\")", () => {
    for (const identity of ['none', 'foo', [1], {}] as never[]) {
      expect(() => nb.vectorize(['int64(int64,int64)'], { identity })).toThrowError(code('E_VALUE_OPTION'));
      expect(() => nb.vectorize({ identity })).toThrowError(code('E_VALUE_OPTION'));
      expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { identity })).toThrowError(code('E_VALUE_OPTION'));
    }
  });
});

describe('guvectorize identity and elementwise layouts (items 2 and 3)', () => {
  // Numba: @nb.guvectorize(['void(int64, int64, int64[:])', 'void(float64, float64, float64[:])'],
  //   '(),()->()', identity=ident) def add(a, b, out): out[0] = a + b
  const make = (identity?: 0 | 'reorderable') =>
    nb.guvectorize(['void(int64, int64, int64[:])', 'void(float64, float64, float64[:])'], '(),()->()', identity === undefined ? {} : { identity })(
      (a: number, b: number, out: A) => { out[0] = a + b; }) as A;

  it("a layout with only scalar core dims is an elementwise ufunc: signature null, every method works (NumPy, Numba)", () => {
    const add = make();
    expect(add.signature).toBe(null); // Numba: add.signature is None
    expect(add.identity).toBe(null);
    expect(add(nb.array([1, 2]), nb.array([3, 4])).toArray()).toEqual([4n, 6n]); // array([4, 6])
    expect(add.reduce(nb.array([1, 2, 3])).item()).toBe(6n); // np.int64(6)
    expect(add.accumulate(nb.array([1, 2, 3])).toArray()).toEqual([1n, 3n, 6n]); // array([1, 3, 6])
    expect(add.outer(nb.array([1, 2]), nb.array([10, 20, 30])).toArray()).toEqual([[11n, 21n, 31n], [12n, 22n, 32n]]);
    expect(add.reduceat(nb.arange(8), [0, 4, 1]).toArray()).toEqual([6n, 4n, 28n]); // array([ 6,  4, 28])
    const a = nb.array([1, 2, 3]);
    add.at(a, [0, 0, 2], 5);
    expect(a.toArray()).toEqual([11n, 2n, 8n]); // array([11,  2,  8])
    // A ufunc takes where= (a gufunc with core dims refuses it).
    expect(add(nb.array([1, 2]), 1, { where: [true, false], out: nb.zeros([2], 'int64') }).toArray()).toEqual([2n, 0n]);
    // Numba: "zero-size array to reduction operation add which has no identity";
    // "reduction operation 'add' is not reorderable, so at most one axis may be specified".
    expect(() => add.reduce(nb.array([], { dtype: 'int64' }))).toThrowError(code('E_VALUE_EMPTY_REDUCTION'));
    expect(() => add.reduce(nb.arange(6).reshape([2, 3]), { axis: null })).toThrowError(code('E_VALUE_REORDERABLE'));
  });

  it('guvectorize honours identity on an elementwise layout (Numba: identity=0 and identity=\'reorderable\')', () => {
    const add0 = make(0);
    expect(add0.identity).toBe(0);
    expect(add0.reduce(nb.array([], { dtype: 'int64' })).item()).toBe(0n); // np.int64(0)
    expect(add0.reduce(nb.arange(6).reshape([2, 3]), { axis: null }).item()).toBe(15n); // np.int64(15)
    expect(add0.reduce(nb.array([1.5, 2]), {}).item()).toBe(3.5);
    const addR = make('reorderable');
    expect(addR.identity).toBe(null);
    expect(addR.reduce(nb.arange(6).reshape([2, 3]), { axis: null }).item()).toBe(15n);
    expect(() => addR.reduce(nb.array([], { dtype: 'int64' }))).toThrowError(code('E_VALUE_EMPTY_REDUCTION'));
  });

  it('with core dims, identity is the .identity attribute and the methods stay refused (NumPy, Numba)', () => {
    // Numba: guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()', identity=0)(dot):
    // dot.identity == 0; dot.reduce(...) raises "Reduction not defined on ufunc with signature";
    // dot.outer: "method outer is not allowed in ufunc with non-trivial signature".
    const dot = nb.guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()', { identity: 0 })((a: A, b: A, out: A) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      out[0] = s;
    });
    expect(dot.signature).toBe('(n),(n)->()');
    expect(dot.identity).toBe(0);
    for (const m of ['reduce', 'accumulate', 'reduceat', 'outer', 'at'] as const) {
      expect(() => (dot[m] as (...a: unknown[]) => unknown)(nb.ones([2, 3]), nb.ones([2, 3]))).toThrowError(code('E_VALUE_METHOD'));
    }
  });

  it('an elementwise layout on the parallel target gives the cpu results, accumulate included', () => {
    const mk = (target: 'cpu' | 'parallel') => nb.guvectorize(['void(float64, float64, float64[:])'], '(),()->()', { target, identity: 0 })(
      (a: number, b: number, out: A) => { out[0] = a + b; }) as A;
    const cpu = mk('cpu');
    const par = mk('parallel');
    const x = nb.linspace(0, 1, 300_000);
    expect(Array.from(par(x, x).data as Float64Array)).toEqual(Array.from(cpu(x, x).data as Float64Array));
    // accumulate reads what it writes: it must not be cut into blocks.
    expect(Array.from(par.accumulate(x).data as Float64Array)).toEqual(Array.from(cpu.accumulate(x).data as Float64Array));
    expect(par.reduce(x).item()).toBe(cpu.reduce(x).item());
  });

  it('a full reduce of a compiled ufunc whose identity is not a true one starts from it once on the parallel target too', () => {
    // Numba: nb.vectorize(['int64(int64,int64)'], identity=1)(lambda a, b: a + b).reduce(np.ones(n, np.int64)) == n + 1.
    const saved = nb.config().parallel;
    nb.config({ parallel: { threads: Math.max(2, saved.threads), minElements: 0, blockMs: 1e-6 } });
    try {
      const n = 1_000_000; // several parallel blocks (src/parallel/run.ts REDUCE_BLOCK)
      const x = nb.ones([n], 'int64');
      for (const target of ['cpu', 'parallel'] as const) {
        const f = nb.vectorize(['int64(int64,int64)'], { target, identity: 1 })(add2);
        expect(f.reduce(x).item()).toBe(BigInt(n + 1));
      }
    } finally {
      nb.config({ parallel: { threads: saved.threads, minElements: saved.minElements, blockMs: saved.blockMs } });
    }
  });
});

describe("Numba's signature spellings (item 4)", () => {
  it('parses every spelling Numba accepts: with and without void/none, parenthesised or a bare tuple', () => {
    const show = (t: string) => {
      const s = parseKernelSignature(t);
      return [s.returns, s.args.map((a) => `${a.dtype}/${a.ndim}`).join(' ')];
    };
    expect(show('void(int32[:], int32[:], int32[:])')).toEqual(['void', 'int32/1 int32/1 int32/1']);
    expect(show('none(int32[:], int32[:])')).toEqual(['void', 'int32/1 int32/1']);
    expect(show('(int32[:], int32[:], int32[:])')).toEqual(['infer', 'int32/1 int32/1 int32/1']);
    expect(show('int32[:], int32[:], int32[:]')).toEqual(['infer', 'int32/1 int32/1 int32/1']);
    expect(show('i4[:], i4, i4[:,::1]')).toEqual(['infer', 'int32/1 int32/0 int32/2']);
    expect(show('(float64,)')).toEqual(['infer', 'float64/0']);
    expect(show('int32, int32')).toEqual(['infer', 'int32/0 int32/0']);
    // Numba: "invalid signature: 'float64' (type: 'str') evaluates to 'Float' instead of tuple or Signature"
    expect(() => parseKernelSignature('float64')).toThrowError(code('NB5001'));
    expect(() => parseKernelSignature('f8[:,:]')).toThrowError(code('NB5001'));
  });

  // Numba: guvectorize([sig], '(n),(n)->(n)')(guadd)(a, a) with a = np.arange(3, dtype=np.int32)
  // gives array([0, 2, 4], dtype=int32) for every one of these spellings.
  it.each([
    'void(int32[:], int32[:], int32[:])', '(int32[:], int32[:], int32[:])', 'int32[:], int32[:], int32[:]',
    'none(int32[:], int32[:], int32[:])', 'i4[:], i4[:], i4[:]', 'void(int32[::1], int32[::1], int32[::1])',
  ])('guvectorize accepts %s', (sig) => {
    const guadd = nb.guvectorize(sig, '(n),(n)->(n)')((a: A, b: A, c: A) => {
      for (let i = 0; i < a.length; i++) c[i] = a[i] + b[i];
    });
    const a = nb.arange(3, undefined, undefined, 'int32');
    const r = guadd(a, a);
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([0, 2, 4]);
  });

  // Numba: guvectorize([sig], '(n),()->(n)')(gusc)(np.arange(3), 5) is array([5, 6, 7]).
  it.each(['(int64[:], int64, int64[:])', 'void(int64[:], int64, int64[:])', 'int64[:], int64, int64[:]'])(
    'scalar arguments match () core dims: %s', (sig) => {
      const gusc = nb.guvectorize(sig, '(n),()->(n)')((a: A, s: number, c: A) => {
        for (let i = 0; i < a.length; i++) c[i] = a[i] + s;
      });
      expect(gusc(nb.arange(3), 5).toArray()).toEqual([5n, 6n, 7n]);
    });

  it('a gufunc signature with a result type is NB5003, which names the spellings that work', () => {
    // Numba: 'int32(int32[:], int32[:], int32[:])' fails typing: "No conversion from none to int32".
    expect(() => nb.guvectorize('int32(int32[:], int32[:])', '(n)->(n)')((a: A, c: A) => { c[0] = a[0]; }))
      .toThrowError(expect.objectContaining({ code: 'NB5003', message: expect.stringMatching(/'void\(\.\.\.\)' or '\(\.\.\.\)'/) }));
  });

  it("vectorize takes Numba's tuple spellings: the result type is the kernel's", () => {
    // Numba: vectorize(['(int32, int32)'])(add) and vectorize(['int32, int32'])(add) compile.
    const f = nb.vectorize(['(f8, f8)'])(add2);
    expect(f.types).toEqual(['float64,float64->float64']);
    const g = nb.vectorize(['float64, float64'])((a: number, b: number) => a < b);
    expect(g.types).toEqual(['float64,float64->bool']);
    expect(g(nb.array([1, 3]), 2).toArray()).toEqual([true, false]);
  });
});

describe('layouts without outputs (item 5)', () => {
  // Numba (test_ufuncbuilding.py test_guvectorize_no_output):
  // guvectorize(['void(float64[:,:], float64[:,:], float64[:,:])'], '(x,y),(x,y),(x,y)')(addto);
  // addto.nin == 3, addto.nout == 0, addto.signature == '(x,y),(x,y),(x,y)'; the call returns ()
  // and writes c; a c of another dtype receives nothing (Numba writes into a cast copy).
  const addto = nb.guvectorize(['void(float64[:,:], float64[:,:], float64[:,:])'], '(x,y),(x,y),(x,y)')((a: A, b: A, c: A) => {
    for (let i = 0; i < a.length; i++) for (let j = 0; j < a[0].length; j++) c[i][j] = a[i][j] + b[i][j];
  });
  const a = nb.arange(6).astype('float64').reshape([2, 3]);

  it('is accepted: nin 3, nout 0, the call returns undefined and the kernel writes its argument in place', () => {
    expect([addto.nin, addto.nout, addto.signature]).toEqual([3, 0, '(x,y),(x,y),(x,y)']);
    const c = nb.zeros([2, 3]);
    expect(addto(a, nb.ones([2, 3]), c)).toBe(undefined);
    expect(c.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]); // Numba: [[1. 2. 3.] [4. 5. 6.]]
    // Batched: the read-only operands broadcast over the written one's loop dims (Numba: the same).
    const cb = nb.zeros([4, 2, 3]);
    addto(a, nb.ones([2, 3]), cb);
    expect(cb.toArray()).toEqual(Array(4).fill([[1, 2, 3], [4, 5, 6]]));
    // Read-only arguments are cast as usual.
    const c2 = nb.zeros([2, 3]);
    addto(nb.arange(6).reshape([2, 3]), nb.ones([2, 3], 'int32'), c2);
    expect(c2.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('a written argument that would be a cast copy, a JS value or broadcast is E_VALUE_INPLACE (Numba silently loses the writes)', () => {
    expect(() => addto(a, a, nb.zeros([2, 3], 'int64'))).toThrowError(code('E_VALUE_INPLACE'));
    expect(() => addto(a, a, [[0, 0, 0], [0, 0, 0]])).toThrowError(code('E_VALUE_INPLACE'));
    expect(() => addto(nb.zeros([4, 2, 3]), a, nb.zeros([2, 3]))).toThrowError(code('E_VALUE_INPLACE'));
  });

  it('the kernel may write any argument; a layout ending in "->" stays an error (Numba: ValueError)', () => {
    const scale = nb.guvectorize('void(f8[:], f8)', '(n),()')((x: A, s: number) => {
      for (let i = 0; i < x.length; i++) x[i] *= s;
    });
    const x = nb.array([1, 2, 3]).astype('float64');
    scale(x, 2);
    expect(x.toArray()).toEqual([2, 4, 6]);
    expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n),(n)->')((() => undefined) as (...a: any[]) => unknown)).toThrowError(code('E_VALUE_SIGNATURE'));
  });
});

describe('ufunc.at without values (item 7)', () => {
  it('a binary ufunc raises NumPy\'s "second operand needed for ufunc", lazy or eager; a unary one applies in place', () => {
    // NumPy: np.add.at(np.array([1, 2, 3]), [0, 1]) -> ValueError: second operand needed for ufunc;
    // np.negative.at(a, [0, 1]) -> a == [-1, -2, 3]; np.negative.at(a, [0, 1], [1, 2]) ->
    // ValueError: second operand provided when ufunc is unary.
    for (const f of [nb.vectorize()(add2), nb.vectorize('f8(f8,f8)')(add2), nb.add]) {
      expect(() => f.at(nb.array([1, 2, 3]), [0, 1])).toThrowError(expect.objectContaining({ code: 'E_VALUE_AT', message: expect.stringMatching(/^second operand needed for ufunc/) }));
    }
    const neg = nb.vectorize()((x: number) => -x);
    const a = nb.array([1, 2, 3]);
    neg.at(a, [0, 1]);
    expect(a.toArray()).toEqual([-1n, -2n, 3n]);
    expect(() => neg.at(a, [0, 1], [1, 2])).toThrowError(expect.objectContaining({ message: expect.stringMatching(/^second operand provided when ufunc is unary/) }));
  });
});

describe('unknown option names on the kernel factories (item 8)', () => {
  // Numba: vectorize(['f8(f8)'], identiy=0) -> KeyError "Unrecognized options: {'identiy'}. Known options
  // are ...", the same for guvectorize; stencil(neighbourhood=...) -> NumbaValueError "Unknown stencil option neighbourhood".
  it('vectorize, guvectorize and stencil reject them with E_VALUE_OPTION, naming the option', () => {
    expect(() => nb.vectorize(['f8(f8)'], { identiy: 0 } as never)).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION', message: expect.stringMatching(/'identiy'/) }));
    expect(() => nb.vectorize({ fastmaths: true } as never)).toThrowError(code('E_VALUE_OPTION'));
    expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { writable_arg: [0] } as never)).toThrowError(code('E_VALUE_OPTION'));
    expect(() => nb.stencil((x: A) => x(0), { neighbourhood: [[-1, 1]] } as never)).toThrowError(code('E_VALUE_OPTION'));
  });
});
