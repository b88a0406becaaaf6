/**
 * The layering of src/ (issue 12), checked by `npm test` (test/layering.test.ts):
 * no import circle, and no import from a lower layer to a higher one. Layers, lowest first:
 *
 *   util < dtype < math < runtime < ndarray < broadcast < ufunc < builtins < compiler < vectorize
 *        < stencil, parallel, gpu, jit (the targets, and the stencil and jit factories) < index
 *
 * Targets register into the layers below them (src/ndarray/devices.ts,
 * src/ufunc/targets.ts, src/vectorize/kernel-targets.ts); the core never names a target.
 * interop sits with ndarray (it only wraps arrays); math (nb.math's plain-JS functions) imports
 * only util, so the compiler's JS runtime and anything above can call it.
 */
const LAYERS = [
  ['util'],
  ['dtype'],
  ['math'],
  ['runtime'],
  ['ndarray', 'interop'],
  ['broadcast'],
  ['ufunc'],
  ['builtins'],
  ['compiler'],
  ['vectorize'],
  ['stencil', 'parallel', 'gpu', 'jit'],
];

const dir = (names) => `^src/(${names.join('|')})/`;

/** One rule per layer: nothing in it imports a folder of a higher layer, or src/index.ts. */
const upward = LAYERS.map((names, i) => {
  const higher = LAYERS.slice(i + 1).flat();
  return {
    name: `no-upward-from-${names.join('-')}`,
    comment: `${names.join(', ')} may not import ${higher.length ? higher.join(', ') + ' or ' : ''}src/index.ts (lower layers never name higher ones; targets register instead)`,
    severity: 'error',
    from: { path: dir(names) },
    to: { path: higher.length ? `(${dir(higher)})|(^src/index\\.ts$)` : '^src/index\\.ts$' },
  };
});

/** Within the target layer, stencil, parallel and gpu do not import each other either. */
const targets = ['stencil', 'parallel', 'gpu'].map((t) => ({
  name: `no-sideways-from-${t}`,
  comment: `${t} may not import the other targets (they meet only in the registries below them)`,
  severity: 'error',
  from: { path: dir([t]) },
  to: { path: dir(['stencil', 'parallel', 'gpu'].filter((x) => x !== t)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle in src/ (type-only imports count too: they tie the layers just as well)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upward,
    ...targets,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^src/runtime/generated/)|(^src/builtins/generated/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
