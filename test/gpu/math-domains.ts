/**
 * Inputs of the Math.* functions for the gpu tests: each function's domain sampled densely
 * (linear and logarithmic spreads), plus the special values every function defines
 * (0, -0, ±1, NaN, ±Infinity).
 */
const lin = (a: number, b: number, n: number): number[] => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const logs = (e0: number, e1: number, n: number): number[] => lin(e0, e1, n).map((e) => 10 ** e);
const both = (xs: number[]): number[] => [...xs, ...xs.map((x) => -x)];
const SPECIAL = [0, -0, 1, -1, NaN, Infinity, -Infinity];

/** One-argument functions and their inputs (float32-rounded). */
export const DOMAIN1: Readonly<Record<string, number[]>> = Object.fromEntries(Object.entries({
  sqrt: [...logs(-30, 30, 120), ...lin(0, 10, 60), -1],
  abs: both(logs(-30, 30, 40)), floor: both([...lin(0, 5, 41), 1e7 + 0.5, 8388607.5]), ceil: both([...lin(0, 5, 41), 8388607.5]),
  trunc: both([...lin(0, 5, 41), 8388607.5]), round: both([...lin(0, 5, 41), 0.49999997, 8388607.5, 4194303.5]),
  sign: both([...logs(-30, 30, 10)]),
  sin: lin(-Math.PI, Math.PI, 241), cos: lin(-Math.PI, Math.PI, 241), tan: lin(-1.5, 1.5, 241),
  exp: lin(-87, 88, 241), expm1: [...lin(-20, 20, 161), ...both(logs(-10, -1, 40))],
  log: [...logs(-30, 30, 161), ...lin(0.5, 2, 80), -1], log2: [...logs(-30, 30, 161), ...lin(0.5, 2, 80)], log10: [...logs(-30, 30, 161), ...lin(0.5, 2, 80)],
  log1p: [...lin(-0.99, 2, 120), ...both(logs(-10, -1, 40)), ...logs(0, 30, 40), -2],
  cbrt: both([...logs(-30, 30, 121), 8, 27, 1000]),
  asin: lin(-1, 1, 201), acos: lin(-1, 1, 201), atan: [...both(logs(-10, 30, 81)), ...lin(-5, 5, 81)],
  sinh: [...lin(-80, 80, 161), ...both(logs(-8, 0, 40))], cosh: lin(-80, 80, 161), tanh: [...lin(-20, 20, 161), ...both(logs(-8, 0, 40))],
  asinh: [...both(logs(-8, 30, 81)), ...lin(-3, 3, 61)], acosh: [...logs(0, 30, 81).map((x) => x), ...lin(1, 3, 61), 0.5],
  atanh: [...lin(-0.999, 0.999, 161), ...both(logs(-8, -1, 30)), 2],
}).map(([k, v]) => [k, [...v, ...SPECIAL].map(Math.fround)]));

/** Two-argument functions and their (x, y) inputs. */
export const DOMAIN2: Readonly<Record<string, [number[], number[]]>> = (() => {
  const grid = (xs: number[], ys: number[]): [number[], number[]] => {
    const a: number[] = [];
    const b: number[] = [];
    for (const x of xs) for (const y of ys) { a.push(Math.fround(x)); b.push(Math.fround(y)); }
    return [a, b];
  };
  const v = [...both([0.1, 0.5, 1, 1.5, 2, 3, 10, 1e5, 1e-5, 1e30, 1e-30]), ...SPECIAL];
  const base = [0.1, 0.5, 0.9, 1, 1.1, 2, 3, 10, 100, 1e10, -2, -0.5, -3, ...SPECIAL];
  const expo = [-10, -3.5, -2, -1, -0.5, 0.5, 1, 2, 3, 3.5, 7.25, 10, 20, ...SPECIAL];
  return {
    min: grid(v, v), max: grid(v, v), hypot: grid(v, v), atan2: grid(v, v), pow: grid(base, expo),
  };
})();
