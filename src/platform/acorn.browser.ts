/**
 * Platform seam, browser side of acorn.node.ts: acorn imported statically (the bundle
 * carries it; a browser has no `require`).
 */
import * as acorn from 'acorn';

/** The acorn module. */
export function loadAcorn(): typeof acorn {
  return acorn;
}
