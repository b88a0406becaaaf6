/**
 * The Node hash seam (src/platform/hash.node.ts): small inputs are hashed by the plain-JS
 * SHA-256 (src/platform/sha256.ts) until node:crypto is loaded, larger ones by node:crypto,
 * switching in the middle of an input when it grows past the limit. Every digest must be
 * node:crypto's own (the reference, called directly here), whatever the path.
 */
import { createHash as cryptoHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createHash } from '../src/platform/hash.node.js';
import { createHash as jsHash } from '../src/platform/hash.browser.js';

/** An input as a list of parts: text (any UTF-16, lone surrogates too) or bytes. */
const part = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.uint8Array({ maxLength: 3000 }),
);

describe('the Node hash seam', () => {
  it('property: the same SHA-256 as node:crypto, for inputs fed in parts across the JS limit', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const ours = createHash('sha256');
        const ref = cryptoHash('sha256');
        const js = jsHash('sha256');
        for (const p of parts) {
          ours.update(p);
          ref.update(p);
          js.update(p);
        }
        const want = ref.digest('hex');
        expect(ours.digest('hex')).toBe(want);
        expect(Buffer.from(js.digest()).toString('hex')).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it('digest() is a Buffer of the 32 bytes, below and above the limit; a reused input buffer is hashed as it was', async () => {
    // A fresh instance of the seam (node:crypto not loaded by it yet). A caller's buffer,
    // overwritten after an update, is hashed as it was when given: below the limit (the JS
    // digest of what was kept), then past it (node:crypto gets what was kept).
    vi.resetModules();
    const fresh = (await import('../src/platform/hash.node.js')).createHash;
    // Below the limit first (the JS digest of what was kept; node:crypto not loaded yet).
    const small = new Uint8Array(100).fill(3);
    const g = fresh('sha256').update(small);
    small.fill(4);
    expect(g.update(small).digest('hex')).toBe(cryptoHash('sha256').update(new Uint8Array(100).fill(3)).update(new Uint8Array(100).fill(4)).digest('hex'));
    const buf = new Uint8Array(1500).fill(1);
    const h = fresh('sha256').update(buf);
    buf.fill(2);
    h.update(buf);
    expect(h.digest('hex')).toBe(cryptoHash('sha256').update(new Uint8Array(1500).fill(1)).update(new Uint8Array(1500).fill(2)).digest('hex'));
    for (const n of [0, 1, 55, 56, 64, 1000, 2044, 2045, 8192, 20_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
      const d = createHash('sha256').update('head').update(bytes).digest();
      expect(Buffer.isBuffer(d)).toBe(true);
      expect(d.equals(cryptoHash('sha256').update('head').update(bytes).digest())).toBe(true);
    }
  });
});
