/**
 * NumPy's `repr` for arrays (numpy/_core/arrayprint.py rules, default print options:
 * precision 8, 'maxprec' float mode, line width 75, summarise above 1000 elements with 3
 * edge items). Reimplemented from the documented rules, not copied.
 */
import type { DType, Scalar } from '../dtype/dtypes.js';
import { fromStorage } from './element.js';

const PRECISION = 8;
const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE = 3;

/** What the formatter needs of an array. */
export interface Formattable {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly size: number;
  readonly data: ArrayLike<number | bigint>;
}

/** Shortest decimal that reads back as `x` (in float32 when `single`). */
function shortest(x: number, single: boolean): string {
  if (!single) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** Positional digits of |x| with at most PRECISION fractional digits, "1." style. */
function positional(x: number, single: boolean): [string, string] {
  let s = shortest(Math.abs(x), single);
  if (/e/i.test(s) || (s.split('.')[1]?.length ?? 0) > PRECISION) {
    s = Math.abs(x).toFixed(PRECISION).replace(/0+$/, '');
  }
  const [i, f = ''] = s.split('.');
  return [(x < 0 || Object.is(x, -0) ? '-' : '') + i, f];
}

/** Scientific digits of |x|: mantissa parts and exponent, unique up to PRECISION digits. */
function scientific(x: number, single: boolean): [string, string, string] {
  const s0 = shortest(Math.abs(x), single);
  let digits = Number(s0).toExponential();
  const [m0] = digits.split('e');
  if ((m0!.split('.')[1]?.length ?? 0) > PRECISION) digits = Math.abs(x).toExponential(PRECISION);
  const [m, e] = digits.split('e');
  const [i, f = ''] = m!.split('.');
  const f2 = f.replace(/0+$/, '');
  const exp = Number(e);
  const expStr = (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return [(x < 0 || Object.is(x, -0) ? '-' : '') + i, f2, expStr];
}

function floatFormatter(values: number[], single: boolean): (x: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const max = abs.length ? Math.max(...abs) : 0;
  const min = abs.length ? Math.min(...abs) : 0;
  const exp = abs.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
  const special = (x: number) => (Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');
  if (finite.length === 0) {
    const w = Math.max(...values.map((v) => special(v).length));
    return (x) => special(x).padStart(w);
  }
  if (exp) {
    const parts = finite.map((v) => scientific(v, single));
    const prec = Math.max(...parts.map((p) => p[1].length));
    const expSize = Math.max(...parts.map((p) => p[2].length));
    const padLeft = Math.max(...parts.map((p) => p[0].length));
    const width = padLeft + 1 + prec + 1 + expSize;
    return (x) => {
      if (!Number.isFinite(x)) return special(x).padStart(width);
      const [i, f, e] = scientific(x, single);
      return `${i.padStart(padLeft)}.${f.padEnd(prec, '0')}e${e}`;
    };
  }
  const parts = finite.map((v) => positional(v, single));
  const padLeft = Math.max(...parts.map((p) => p[0].length));
  const padRight = Math.max(...parts.map((p) => p[1].length));
  return (x) => {
    if (!Number.isFinite(x)) return special(x).padStart(padLeft + 1 + padRight);
    const [i, f] = positional(x, single);
    return `${i.padStart(padLeft)}.${f.padEnd(padRight)}`;
  };
}

function elementFormatter(dtype: DType, values: Scalar[], multi: boolean): (x: Scalar) => string {
  if (dtype === 'bool') {
    // NumPy pads True to the width of False, except in 0-d arrays.
    const w = values.length === 1 && !multi ? 4 : 5;
    return (x) => (x ? 'True' : 'False').padStart(w);
  }
  if (dtype === 'float32' || dtype === 'float64') {
    const f = floatFormatter(values as number[], dtype === 'float32');
    return (x) => f(x as number);
  }
  const w = Math.max(...values.map((v) => String(v).length));
  return (x) => String(x).padStart(w);
}

/** Indices shown along an axis of length n (all, or the edges when summarising). */
function shownIndices(n: number, summarise: boolean): Array<number | null> {
  if (!summarise || n <= 2 * EDGE) return [...Array(n).keys()];
  return [0, 1, 2, null, n - 3, n - 2, n - 1];
}

/**
 * The repr of an array (`array([...])`, plus `dtype=` unless implied).
 *
 * @example
 * ```ts
 * formatArray(nb.array([0.1, 0.25])); // 'array([0.1 , 0.25])'
 * ```
 */
export function formatArray(a: Formattable): string {
  const prefix = 'array(';
  const summarise = a.size > THRESHOLD;
  const shapeStr = `(${a.shape.join(', ')}${a.shape.length === 1 ? ',' : ''})`;
  // NumPy 2 adds what the elements do not show: the shape (empty or summarised arrays)
  // and the dtype (unless it is one that bare literals imply).
  const extras: string[] = [];
  if ((a.size === 0 && a.shape.length !== 1) || summarise) extras.push(`shape=${shapeStr}`);
  const implied = a.dtype === 'float64' || a.dtype === 'int64' || a.dtype === 'bool';
  if (!implied || a.size === 0) extras.push(`dtype=${a.dtype}`);
  let body: string;
  if (a.size === 0) {
    body = '[]';
  } else {
    const read = (k: number): Scalar => fromStorage(a.data[k]!, a.dtype);
    // Collect the shown elements to size the columns.
    const shown: Scalar[] = [];
    const collect = (axis: number, k: number) => {
      if (axis === a.shape.length) return void shown.push(read(k));
      for (const i of shownIndices(a.shape[axis]!, summarise)) if (i !== null) collect(axis + 1, k + i * a.strides[axis]!);
    };
    collect(0, a.offset);
    const fmt = elementFormatter(a.dtype, shown, a.shape.length > 0);
    body = a.shape.length === 0 ? fmt(read(a.offset)) : formatNested(a, fmt, summarise, ' '.repeat(prefix.length + 1), LINE_WIDTH - 1);
  }
  if (extras.length === 0) return prefix + body + ')';
  const arrStr = prefix + body + ',';
  const extraStr = extras.join(', ') + ')';
  const lastLine = arrStr.length - (arrStr.lastIndexOf('\n') + 1);
  const spacer = lastLine + extraStr.length + 1 > LINE_WIDTH ? '\n' + ' '.repeat(prefix.length) : ' ';
  return arrStr + spacer + extraStr;
}

function formatNested(
  a: Formattable, fmt: (x: Scalar) => string, summarise: boolean, linePrefix: string, lineWidth: number,
): string {
  const sep = ', ';
  const extend = (s: string, line: string, word: string, width: number, indent: string): [string, string] => {
    if (line.length + word.length > width && line.length > indent.length) {
      s += line.trimEnd() + '\n';
      line = indent;
    }
    return [s, line + word];
  };
  const recurse = (axis: number, k: number, indent: string, width: number): string => {
    if (axis === a.shape.length) return fmt(fromStorage(a.data[k]!, a.dtype));
    const nextIndent = indent + ' ';
    const nextWidth = width - 1;
    const idx = shownIndices(a.shape[axis]!, summarise);
    const axesLeft = a.shape.length - axis;
    const word = (i: number | null) => (i === null ? '...' : recurse(axis + 1, k + i * a.strides[axis]!, nextIndent, nextWidth));
    let s = '';
    if (idx.length === 0) return '[]';
    if (axesLeft === 1) {
      let line = indent;
      idx.forEach((i, n) => {
        const last = n === idx.length - 1;
        [s, line] = extend(s, line, word(i), last ? width : width - 1, indent);
        if (!last) line += sep;
      });
      s += line;
    } else {
      const lineSep = ',' + '\n'.repeat(axesLeft - 1);
      idx.forEach((i, n) => {
        s += indent + word(i) + (n === idx.length - 1 ? '' : lineSep);
      });
    }
    return '[' + s.slice(indent.length) + ']';
  };
  return recurse(0, a.offset, linePrefix, lineWidth);
}
