/**
 * NumPy's broadcasting rule: align shapes at the right; each dim pair must be equal or
 * contain a 1; the result takes the larger.
 */
import { ShapeError } from '../util/errors.js';
import { checkShape, formatShape } from '../ndarray/layout.js';


/**
 * The shape that `shapes` broadcast to.
 *
 * @throws ShapeError (`E_SHAPE_BROADCAST`) naming the shapes that do not fit.
 * @example
 * ```ts
 * nb.broadcastShapes([5, 1, 4], [3, 1]); // [5, 3, 4]
 * ```
 */
export function broadcastShapes(...shapes: readonly (readonly number[] | number)[]): number[] {
  // NDArray shapes are frozen and were validated when the array was made.
  const dims = shapes.map((s) => (Array.isArray(s) && Object.isFrozen(s) ? (s as readonly number[]) : checkShape(s)));
  const ndim = Math.max(0, ...dims.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of dims) {
    for (let i = 0; i < s.length; i++) {
      const j = ndim - s.length + i;
      const d = s[i]!;
      if (d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else if (out[j] !== d) {
        throw new ShapeError(
          'E_SHAPE_BROADCAST',
          `shape mismatch: objects cannot be broadcast to a single shape; ${dims.map(formatShape).join(' ')} ` +
            `disagree at dimension ${j - ndim} (${out[j]} vs ${d})`,
        );
      }
    }
  }
  return out;
}

/**
 * Strides that view an array of `shape`/`strides` as `target` (stride 0 on broadcast dims).
 *
 * @throws ShapeError (`E_SHAPE_BROADCAST`) when `shape` does not broadcast to `target`.
 */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  if (shape.length > target.length) {
    throw new ShapeError('E_SHAPE_BROADCAST', `cannot broadcast an array of shape ${formatShape(shape)} to ${formatShape(target)}: it has more dimensions`);
  }
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    const t = target[lead + i]!;
    if (d === t) out[lead + i] = t === 1 ? 0 : strides[i]!;
    else if (d === 1) out[lead + i] = 0;
    else {
      throw new ShapeError(
        'E_SHAPE_BROADCAST',
        `cannot broadcast an array of shape ${formatShape(shape)} to ${formatShape(target)} (dimension ${i} is ${d}, not 1 or ${t})`,
      );
    }
  }
  return out;
}

