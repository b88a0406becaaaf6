/**
 * The disk caches' checksum (src/vectorize/hash64.ts): what its header promises, as
 * properties. A change confined to one aligned 4-byte word is always caught (a torn or
 * flipped byte, whatever the rest holds); lengths are told apart (a truncated or padded file);
 * the result depends on the bytes only (not on where a view starts in its buffer).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64, hash64Hex } from '../../src/vectorize/hash64.js';

const bytes = (max = 300) => fc.uint8Array({ minLength: 1, maxLength: max });

describe('hash64', () => {
  it('any change within one aligned 4-byte word changes the checksum (always, not by chance)', () => {
    fc.assert(
      fc.property(bytes(), fc.nat(), fc.integer({ min: 1, max: 0xffffffff }), (data, at, flip) => {
        const word = (at % data.length) & ~3;
        const changed = data.slice();
        let any = false;
        for (let j = 0; j < 4 && word + j < data.length; j++) {
          const mask = (flip >>> (8 * j)) & 0xff;
          changed[word + j]! ^= mask;
          any ||= mask !== 0;
        }
        fc.pre(any);
        expect(hash64(changed)).not.toEqual(hash64(data));
      }),
      { numRuns: 2000 },
    );
  });

  it('every single-byte change of a kilobyte entry is caught', () => {
    const data = new Uint8Array(1024).map((_, i) => (i * 37) & 0xff);
    const want = hash64Hex(data);
    for (let i = 0; i < data.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const c = data.slice();
        c[i]! ^= mask;
        expect(hash64Hex(c)).not.toBe(want);
      }
    }
  });

  it('a truncated or zero-padded input has another checksum', () => {
    fc.assert(
      fc.property(bytes(), fc.integer({ min: 1, max: 8 }), (data, n) => {
        const padded = new Uint8Array(data.length + n);
        padded.set(data);
        expect(hash64(padded)).not.toEqual(hash64(data));
        expect(hash64(data.subarray(0, Math.max(0, data.length - n)))).not.toEqual(hash64(data));
      }),
    );
  });

  it('depends on the bytes only: a view at any offset of its buffer hashes as a copy', () => {
    fc.assert(
      fc.property(bytes(), fc.integer({ min: 0, max: 7 }), (data, offset) => {
        const buffer = new Uint8Array(data.length + offset + 3).fill(0xa5);
        buffer.set(data, offset);
        expect(hash64(buffer.subarray(offset, offset + data.length))).toEqual(hash64(data));
      }),
    );
  });

  it('names distinct keys apart: 20000 short keys, 20000 names of 16 hex digits', () => {
    const names = new Set<string>();
    for (let i = 0; i < 20_000; i++) names.add(hash64Hex(new TextEncoder().encode(`kernel ${i}`)));
    expect(names.size).toBe(20_000);
    for (const n of names) expect(n).toMatch(/^[0-9a-f]{16}$/);
  });
});
