/**
 * Checking public options objects (issue 19 item 11): a misspelt key (`{ targt: 'gpu' }`) or
 * a value outside what an option takes (`{ stride: 0 }`) is a ValueError `E_VALUE_OPTION`
 * naming the option and the accepted values, never silently ignored or a bare TypeError.
 */
import { ValueError } from './errors.js';

/** One option: what it accepts, in words for the message, and the test of a value. */
export interface OptionRule {
  /** The accepted values, as the message states them: `"'cpu', 'parallel' or 'gpu'"`. */
  readonly accepts: string;
  /** True for an acceptable value (`undefined` is always accepted: the default). */
  readonly test: (value: unknown) => boolean;
}

/** Rules of the options of one function, by key. */
export type OptionRules = Readonly<Record<string, OptionRule>>;

/** Common rules. */
export const isBoolean: OptionRule = { accepts: 'true or false', test: (v) => typeof v === 'boolean' };
export const isString: OptionRule = { accepts: 'a string', test: (v) => typeof v === 'string' };
/** One of the given strings. */
export function oneOf(values: readonly string[]): OptionRule {
  const quoted = values.map((v) => `'${v}'`);
  return {
    accepts: quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0]!,
    test: (v) => typeof v === 'string' && values.includes(v),
  };
}

/** A short, safe rendering of a value for a message. */
function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    if (s !== undefined) return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    // cyclic or otherwise unprintable
  }
  return String(v);
}

/** Edit distance of two short strings (for "did you mean"). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/**
 * Check the options object `opts` given to `where` (e.g. `'nb.vectorize'`) against `rules`:
 * it is undefined or a plain object, every key has a rule and every defined value passes it.
 *
 * @throws ValueError `E_VALUE_OPTION` naming the option and the values it takes.
 * @example
 * ```ts
 * checkOptionValues('nb.vectorize', { targt: 'gpu' }, { target: oneOf(['cpu', 'gpu']) });
 * // ValueError: nb.vectorize got an unknown option 'targt' (did you mean 'target'?) ...
 * ```
 */
export function checkOptionValues(where: string, opts: unknown, rules: OptionRules): void {
  if (opts === undefined) return;
  const names = Object.keys(rules);
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts) || ArrayBuffer.isView(opts)) {
    throw new ValueError('E_VALUE_OPTION', `${where} takes an options object ({ ${names.join(', ')} }), got ${show(opts)}`);
  }
  for (const [key, value] of Object.entries(opts)) {
    const rule = rules[key];
    if (rule === undefined) {
      const near = names.filter((n) => distance(n.toLowerCase(), key.toLowerCase()) <= 2);
      throw new ValueError(
        'E_VALUE_OPTION',
        `${where} got an unknown option '${key}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}; its options are ${names.join(', ')}`,
      );
    }
    if (value !== undefined && !rule.test(value)) {
      throw new ValueError('E_VALUE_OPTION', `${where}: option '${key}' is ${show(value)}; it takes ${rule.accepts}`);
    }
  }
}

/**
 * A flag option taken by its truth, as NumPy takes `keepdims=1` (a bool, number or bigint;
 * undefined: false).
 *
 * @throws ValueError `E_VALUE_OPTION` for another type (a string, an object).
 * @example
 * ```ts
 * flagOption(1, 'add.reduce', 'keepdims'); // true
 * ```
 */
export function flagOption(value: unknown, where: string, key: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return Boolean(value);
  throw new ValueError('E_VALUE_OPTION', `${where}: option '${key}' is ${show(value)}; it takes true or false (or a number, by its truth)`);
}
