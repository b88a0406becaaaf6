/**
 * Scratch allocation sites: every `scratch` statement of the program (helpers first, then
 * the kernel, each in source order) gets a site number, and the program lists the sites
 * ({@link ScratchSite}: the array's name and constructor, line, column, code frame). The
 * emitters pass the number to the allocation; when it fails (a negative length, or more
 * than the target's scratch memory holds) the target reports it and the host raises the
 * error at that line (src/compiler/bounds.ts).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { DTYPES } from '../../../dtype/dtypes.js';
import { codeFrame, lineColumn } from '../../frontend/diagnostics.js';
import type { IRFunction, IRProgram, ScratchSite, Stmt } from '../nodes.js';

type S = Stmt<DType>;

/**
 * The program with its scratch sites numbered.
 *
 * @example
 * ```ts
 * const p = scratchSites(ir);
 * p.scratch; // [{ array: 'buf', ctor: 'Float64Array', itemSize: 8, line: 2, column: 15, frame: '...' }]
 * ```
 */
export function scratchSites(p: IRProgram): IRProgram {
  const sites: ScratchSite[] = [];
  const number = (fn: IRFunction<DType>): IRFunction<DType> => {
    if (!fn.scratch?.length) return fn;
    const walk = (body: readonly S[]): S[] => body.map((s): S => {
      switch (s.kind) {
        case 'scratch': {
          const a = fn.scratch![s.id]!;
          const { line, column } = lineColumn(fn.source.text, s.at);
          sites.push({ array: a.name, ctor: a.ctor, itemSize: DTYPES[a.dtype].itemSize, line, column, frame: codeFrame(fn.source.text, line, column) });
          return { ...s, site: sites.length - 1 };
        }
        case 'if': return { ...s, then: walk(s.then), else: walk(s.else) };
        case 'while': return { ...s, body: walk(s.body) };
        case 'for': return { ...s, init: walk(s.init), update: walk(s.update), body: walk(s.body) };
        default: return s;
      }
    });
    return { ...fn, body: walk(fn.body) };
  };
  const helpers = p.helpers.map(number);
  const main = number(p.main);
  return { ...p, helpers, main, scratch: sites };
}

/** Does the statement list allocate a scratch array (at any depth)? */
export function allocates(body: readonly S[]): boolean {
  return body.some((s) => {
    switch (s.kind) {
      case 'scratch': return true;
      case 'if': return allocates(s.then) || allocates(s.else);
      case 'while': return allocates(s.body);
      case 'for': return allocates(s.init) || allocates(s.body) || allocates(s.update);
      default: return false;
    }
  });
}
