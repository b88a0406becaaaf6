// The example's image pipeline (examples/browser/index.html), kept free of the page so that
// Node runs it too (test/examples/browser-pipeline.test.ts checks its values): an RGBA image
// → grayscale (a vectorize kernel) → 2x2 mean downsample (a stencil with stride 2) →
// contrast stretch to 0..255 (a jit function). Each step reports its time and target, and
// the cpu steps the tier that ran (a first call runs the JS tier at once, the main thread
// never blocking on a compile; the Wasm tier takes over when the function's `.ready` settles).

/** The grayscale weights (ITU-R BT.601, as most image libraries use). */
export const LUMA = [0.299, 0.587, 0.114];

/**
 * Build the three kernels for `target` ('gpu' or 'cpu'; jit is cpu only). `nb` is numbats
 * (the page passes browser.js, Node passes the package).
 */
export function makeKernels(nb, target) {
  const gray = nb.vectorize(['float32(float32, float32, float32)'], { target })(
    (r, g, b) => 0.299 * r + 0.587 * g + 0.114 * b,
  );
  const half = nb.stencil((a) => (a(0, 0) + a(0, 1) + a(1, 0) + a(1, 1)) * 0.25, {
    signature: 'float32(float32)', stride: 2, mode: 'nearest', target,
  });
  const stretch = nb.jit((x, out) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    for (let i = 0; i < x.length; i++) out[i] = (x[i] - lo) * scale;
  });
  return { gray, half, stretch };
}

/**
 * Run the pipeline on RGBA bytes (`width` x `height`). Returns each step's image (a
 * Float32Array with its size, 0..255) and each step's time and target (and, for a cpu
 * step, the tier its call ran on: 'js' or 'wasm'); a step that fails records its error and
 * ends the run (the page shows why).
 */
export async function runPipeline(nb, rgba, width, height, target) {
  const k = makeKernels(nb, target);
  const n = width * height;
  const planes = [0, 1, 2].map((c) => {
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++) p[i] = rgba[4 * i + c];
    return nb.array(p, { dtype: 'float32' }).reshape([height, width]);
  });
  const toCpu = async (a) => (a.storageKind === 'gpu' ? a.toCpu() : a);
  const pixels = (a) => ({ data: new Float32Array(a.toArray().flat()), width: a.shape[1], height: a.shape[0] });
  const result = { steps: [], images: [] };
  const step = async (name, stepTarget, f, tierOf) => {
    const t0 = performance.now();
    try {
      const v = await f();
      result.steps.push({ step: name, target: stepTarget, ms: performance.now() - t0, ...(tierOf ? { tier: tierOf() } : {}) });
      return v;
    } catch (e) {
      result.steps.push({ step: name, target: stepTarget, ms: performance.now() - t0, error: String(e?.message ?? e) });
      return undefined;
    }
  };
  const gray = await step('grayscale (vectorize)', target, async () => toCpu(await k.gray(...planes)));
  if (gray === undefined) return result;
  result.images.push(pixels(gray));
  const half = await step('2x2 downsample (stencil, stride 2)', target, async () => toCpu(await k.half(gray)));
  if (half === undefined) return result;
  const small = pixels(half);
  result.images.push(small);
  const out = new Float32Array(small.data.length);
  // (the tier is read right after the call, in the same turn: a Wasm module lands only
  // between turns, so it is the tier the call ran on)
  let tier;
  const done = await step('contrast stretch (jit)', 'cpu', async () => {
    k.stretch(small.data, out);
    tier = k.stretch.tier;
    return true;
  }, () => tier);
  if (done) result.images.push({ data: out, width: small.width, height: small.height });
  return result;
}

/** A generated test image: colour gradients, rings and a checkerboard corner. */
export function generatedImage(width, height) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const d = Math.hypot(x - width / 2, y - height / 2);
      const ring = 0.5 + 0.5 * Math.cos(d / 6);
      const check = x < width / 4 && y < height / 4 && ((x >> 3) + (y >> 3)) % 2 === 0;
      rgba[i] = check ? 255 : (255 * x) / width * ring;
      rgba[i + 1] = check ? 255 : (255 * y) / height;
      rgba[i + 2] = check ? 255 : 255 * ring;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}
