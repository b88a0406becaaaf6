// Type tests of numbats' published declarations (issue 18 item 2), compiled by
// test/package/consumer.test.ts in each consumer project (strict, skipLibCheck: false) against
// the packed tarball: kernels are checked against their signature strings, results carry the
// signature's dtype, creation functions and built-in ufunc calls their dtype. Every
// `@ts-expect-error` line must be an error (tsc reports an unused one), so each states a
// compile-time failure. Never run.
import * as nb from 'numbats';

/** True when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}
type Result<F> = F extends (...args: never[]) => infer R ? R : never;

export function signatureTypes(x: nb.NDArray<'float64'>): unknown[] {
  const seen: unknown[] = [];

  // 'float64(float64, float64)': parameters are numbers (unannotated ones take them), the
  // result is float64.
  const fma = nb.vectorize('float64(float64, float64)')((a, b) => {
    seen.push(expectType<Equal<typeof a, number>>(), expectType<Equal<typeof b, number>>());
    return a * b + 1;
  });
  seen.push(expectType<Equal<Result<typeof fma>, nb.NDArray<'float64'>>>());
  seen.push(fma(x, 2).get(0) + 1); // a number: float64 elements
  // @ts-expect-error wrong arity: one parameter for two inputs
  nb.vectorize('float64(float64, float64)')((a: number) => a);
  // @ts-expect-error wrong arity: three parameters for two inputs
  nb.vectorize('float64(float64, float64)')((a: number, b: number, c: number) => a + b + c);
  // @ts-expect-error wrong parameter type: a kernel taking a string
  nb.vectorize('float64(float64, float64)')((a: string, b: number) => a.length + b);

  // Short names: 'f8(f8,f8)', 'f4(f4)', 'i4(i4, i4)', 'b1(f8)', 'bool(bool)', 'i8(i8)'.
  const short = nb.vectorize('f8(f8,f8)')((a, b) => a - b);
  seen.push(expectType<Equal<Result<typeof short>, nb.NDArray<'float64'>>>());
  // @ts-expect-error wrong arity in the short form
  nb.vectorize('f8(f8,f8)')(() => 1);
  // @ts-expect-error wrong parameter type in the short form
  nb.vectorize('f8(f8,f8)')((a: string, b: string) => a + b);
  const half = nb.vectorize('f4(f4)')((a) => a / 2);
  seen.push(expectType<Equal<Result<typeof half>, nb.NDArray<'float32'>>>());
  const i4 = nb.vectorize('i4(i4, i4)')((a, b) => a + b);
  seen.push(expectType<Equal<Result<typeof i4>, nb.NDArray<'int32'>>>());
  const positive = nb.vectorize('b1(f8)')((a) => a > 0);
  seen.push(expectType<Equal<Result<typeof positive>, nb.NDArray<'bool'>>>());
  const not = nb.vectorize('bool(bool)')((a) => {
    seen.push(expectType<Equal<typeof a, boolean>>());
    return !a;
  });
  seen.push(expectType<Equal<Result<typeof not>, nb.NDArray<'bool'>>>());
  const inc = nb.vectorize('int64(int64)')((a) => a + 1);
  seen.push(expectType<Equal<Result<typeof inc>, nb.NDArray<'int64'>>>());
  // A result left to inference: any dtype.
  const inferred = nb.vectorize('(f8, f8)')((a, b) => a * b);
  seen.push(expectType<Equal<Result<typeof inferred>, nb.NDArray<nb.DType>>>());

  // Lists of signatures: each parameter must accept every signature's type; the result is
  // the union of the result dtypes.
  const both = nb.vectorize(['float32(float32, float32)', 'float64(float64, float64)'])((a, b) => a * b);
  seen.push(expectType<Equal<Result<typeof both>, nb.NDArray<'float32' | 'float64'>>>());
  const same = nb.vectorize(['int8(int8)', 'int8(f8)'])((a: number) => a);
  seen.push(expectType<Equal<Result<typeof same>, nb.NDArray<'int8'>>>());
  // @ts-expect-error wrong arity for a list
  nb.vectorize(['f4(f4)', 'f8(f8)'])((a: number, b: number) => a + b);
  // @ts-expect-error wrong parameter type for a list: boolean does not accept float64's number
  nb.vectorize(['b1(b1)', 'f8(f8)'])((a: boolean) => a);

  // 'void(float64[:], float64[:], float64[:])': core arrays are TypedArrays; the output (the
  // last argument, one group after '->') sets the result dtype.
  const rowdot = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')((a, b, out) => {
    seen.push(expectType<Equal<typeof a, Float64Array>>(), expectType<Equal<typeof out, Float64Array>>());
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
    out[0] = s;
  });
  seen.push(expectType<Equal<Result<typeof rowdot>, nb.NDArray<'float64'>>>());
  // @ts-expect-error wrong arity: the kernel must take the output array too
  nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')((a: Float64Array, b: Float64Array) => a[0]! + b[0]!);
  // @ts-expect-error wrong parameter type: float64[:] is no string
  nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')((a: string, b: Float64Array, o: Float64Array) => { o[0] = a.length + b[0]!; });
  const matmul = nb.guvectorize('void(f4[:,:], f4[:,:], f4[:,:])', '(m,n),(n,p)->(m,p)')((a, b, c) => {
    seen.push(expectType<Equal<typeof a, Float32Array[]>>());
    c[0]![0] = (a[0]?.[0] ?? 0) * (b[0]?.[0] ?? 0);
  });
  seen.push(expectType<Equal<Result<typeof matmul>, nb.NDArray<'float32'>>>());
  // int64 core arrays hold numbers inside a kernel (the kernel language's integers).
  const cumsum = nb.guvectorize('void(i8[:], i8[:])', '(n)->(n)')((a, out) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) out[i] = s += a[i]!;
  });
  seen.push(expectType<Equal<Result<typeof cumsum>, nb.NDArray<'int64'>>>());

  // A signature the types cannot read (not a literal): unchecked, any dtype.
  const sig: string = 'f8(f8)';
  const loose = nb.vectorize(sig)((a: number) => a);
  seen.push(expectType<Equal<Result<typeof loose>, nb.NDArray>>());

  // Creation functions: the dtype given, else the default, else NumPy's inferred one.
  const z = nb.zeros([2]);
  seen.push(expectType<Equal<typeof z, typeof x>>());
  const r = nb.arange(5);
  seen.push(expectType<Equal<typeof r, nb.NDArray<'int64'>>>());
  const f = nb.arange(0, 1, 0.25);
  seen.push(expectType<Equal<typeof f, nb.NDArray<'float64'>>>());
  const e = nb.empty([2], 'u1');
  seen.push(expectType<Equal<typeof e, nb.NDArray<'uint8'>>>());
  const o = nb.ones([2]);
  seen.push(expectType<Equal<typeof o, nb.NDArray<'float64'>>>());
  const b = nb.full([2], true);
  seen.push(expectType<Equal<typeof b, nb.NDArray<'bool'>>>());
  const l = nb.linspace(0, 1, 5, { dtype: 'float32' });
  seen.push(expectType<Equal<typeof l, nb.NDArray<'float32'>>>());

  // scijs interop without @types/ndarray: numbats declares the type.
  const s = nb.zeros([2], 'int32').toNdarray();
  seen.push(expectType<Equal<typeof s.data, Int32Array>>(), nb.fromNdarray(s));

  // Built-in ufuncs: typed where the inputs' dtypes decide the result (one dtype, NEP 50
  // weak JS scalars), else any dtype.
  const fa = nb.zeros([2], 'float32');
  const ia = nb.zeros([2], 'int32');
  const sum = nb.add(fa, fa);
  seen.push(expectType<Equal<typeof sum, nb.NDArray<'float32'>>>());
  const quotient = nb.divide(ia, ia);
  seen.push(expectType<Equal<typeof quotient, nb.NDArray<'float64'>>>());
  const root = nb.sqrt(ia);
  seen.push(expectType<Equal<typeof root, nb.NDArray<'float64'>>>());
  const below = nb.less(ia, 2.5);
  seen.push(expectType<Equal<typeof below, nb.NDArray<'bool'>>>());
  const shifted = nb.add(ia, 1);
  seen.push(expectType<Equal<typeof shifted, nb.NDArray<'int32'>>>());
  const [quot, rem] = nb.divmod(ia, ia);
  seen.push(expectType<Equal<typeof quot, nb.NDArray<'int32'>>>(), expectType<Equal<typeof rem, nb.NDArray<'int32'>>>());
  const mixed = nb.add(ia, fa);
  seen.push(expectType<Equal<typeof mixed, nb.NDArray>>());
  return seen;
}
