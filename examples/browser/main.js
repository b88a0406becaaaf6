// The example page's script: loads numbats' browser build as a plain ES module (no bundler),
// runs examples/browser/pipeline.js on the chosen (or generated) image, and draws each step.
import * as nb from '../../dist/browser.js';
import { generatedImage, runPipeline } from './pipeline.js';

const $ = (id) => document.getElementById(id);

/** Draw a grayscale Float32Array (0..255) on a canvas. */
function drawGray(canvas, { data, width, height }) {
  canvas.width = width;
  canvas.height = height;
  const img = new ImageData(width, height);
  for (let i = 0; i < data.length; i++) {
    const v = Math.max(0, Math.min(255, data[i]));
    img.data.set([v, v, v, 255], 4 * i);
  }
  canvas.getContext('2d').putImageData(img, 0, 0);
}

async function run(rgba, width, height) {
  const c0 = $('c0');
  c0.width = width;
  c0.height = height;
  c0.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  const target = (await nb.gpuAvailable()) ? 'gpu' : 'cpu';
  $('env').textContent = `Target: ${target}; crossOriginIsolated: ${crossOriginIsolated}.`;
  const { steps, images } = await runPipeline(nb, rgba, width, height, target);
  steps.forEach((s, i) => {
    const cap = $(`t${i + 1}`);
    cap.textContent = `${s.step}: ${s.ms.toFixed(1)} ms on ${s.target}` + (s.tier ? `, ${s.tier} tier` : '') + (s.error ? ` - failed: ${s.error}` : '');
    cap.className = s.error ? 'err' : '';
  });
  images.forEach((im, i) => drawGray($(`c${i + 1}`), im));
  document.body.dataset.done = String(steps.length);
}

$('file').addEventListener('change', async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 512 / Math.max(bitmap.width, bitmap.height));
  const w = Math.round(bitmap.width * scale), h = Math.round(bitmap.height * scale);
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0, w, h);
  await run(ctx.getImageData(0, 0, w, h).data, w, h);
});

await run(generatedImage(256, 192), 256, 192);
