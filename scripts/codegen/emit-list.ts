/**
 * src/builtins/generated/ufuncs.json: the built-in ufunc table as data for programs that
 * cannot import TypeScript: scripts/ufunc-fixtures.py reads it to know which ufuncs to
 * compute NumPy's answers for, so the table is the only list of ufuncs.
 * One entry per row, in table order: name (numbats), numpy, nin, nout, types (the loops,
 * dispatch order: `'int8,int8->int8'`).
 */
import { loopsOf } from '../../src/builtins/loop-registry.js';
import { UFUNC_TABLE, type UfuncName } from '../../src/builtins/ufunc-table.js';

export function emitUfuncList(): string {
  const ufuncs = (Object.keys(UFUNC_TABLE) as UfuncName[]).map((name) => {
    const row = UFUNC_TABLE[name];
    return { name, numpy: row.numpy, nin: row.nin, nout: row.nout, types: loopsOf(name).map((l) => l.types) };
  });
  const lines = ufuncs.map((u) => `    ${JSON.stringify(u)}`);
  return [
    '{',
    '  "generated": "by scripts/generate.ts from src/builtins/ufunc-table.ts; do not edit, run `npm run generate`",',
    '  "ufuncs": [',
    lines.join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}
