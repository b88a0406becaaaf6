/**
 * Platform seam: SHA-256 (cache keys, worker file names). Node: `node:crypto`, and before it
 * is loaded, plain JS for small inputs. The browser build uses hash.browser.ts instead (a
 * file `X.node.ts` with a twin `X.browser.ts` beside it is swapped for the twin by
 * scripts/platform-seams.mjs; the twin has the same exports).
 *
 * Why the JS: loading `node:crypto` costs a fresh process ~2-3 ms (it evaluates a dozen of
 * Node's internal modules), most of a 5 ms budget for a compile-cache hit's first result
 * (issue 15), whose hashes cover a key of a few hundred bytes and an entry of about a
 * kilobyte: ./sha256.ts does those in well under a millisecond on cold code. Past
 * {@link JS_LIMIT} bytes, or once `node:crypto` is loaded, `node:crypto` hashes. The digests
 * are the same either way (SHA-256; test/platform-hash.test.ts compares them).
 */
import { createRequire } from 'node:module';
import { Sha256 } from './sha256.js';

/** What numbats uses of a hash: `node:crypto`'s `Hash`, digest as a Buffer or hex. */
export interface Hash {
  update(data: string | Uint8Array): Hash;
  digest(): Buffer;
  digest(encoding: 'hex'): string;
}

/**
 * Inputs up to this many bytes (UTF-16 units for strings) are hashed in JS while node:crypto
 * is not loaded: cold JS takes ~20 us per 64-byte block, so 2 KiB costs at most a quarter
 * of node:crypto's load (which also loads Node's streams when no thread has started yet),
 * and a larger input that follows (a kernel with static data: its entry is tens of KiB)
 * wastes little before node:crypto takes over. A plain kernel's key and entry are ~0.5
 * and ~1 KiB.
 */
const JS_LIMIT = 2048;

let crypto: typeof import('node:crypto') | undefined;

function nativeHash(): import('node:crypto').Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256');
}

/**
 * The input is kept (copied: a caller may reuse its buffer) while it is small and node:crypto
 * not loaded, and hashed in JS at `digest`; from the update that passes the limit, by
 * node:crypto (fed what was kept first). Nothing is hashed twice.
 */
class SmallFirstHash implements Hash {
  private parts: (string | Uint8Array)[] | undefined;
  private native: import('node:crypto').Hash | undefined;
  private size = 0;

  constructor() {
    if (crypto === undefined) this.parts = [];
    else this.native = crypto.createHash('sha256');
  }

  update(data: string | Uint8Array): Hash {
    if (this.parts !== undefined) {
      this.size += data.length;
      if (this.size <= JS_LIMIT) {
        this.parts.push(typeof data === 'string' ? data : data.slice());
        return this;
      }
      this.native = nativeHash();
      for (const p of this.parts) this.native.update(p);
      this.parts = undefined;
    }
    this.native!.update(data);
    return this;
  }

  digest(): Buffer;
  digest(encoding: 'hex'): string;
  digest(encoding?: 'hex'): Buffer | string {
    if (this.parts === undefined) return encoding === 'hex' ? this.native!.digest('hex') : this.native!.digest();
    const js = new Sha256();
    for (const p of this.parts) js.update(p);
    const out = js.digest();
    const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    return encoding === 'hex' ? bytes.toString('hex') : bytes;
  }
}

/**
 * `createHash('sha256')` as `node:crypto` has it (the only algorithm numbats uses); node:crypto
 * is loaded on the first hash of more than {@link JS_LIMIT} bytes, not at import.
 *
 * @example
 * ```ts
 * createHash('sha256').update('x').digest('hex');
 * ```
 */
export function createHash(algorithm: 'sha256'): Hash {
  if (algorithm !== 'sha256') throw new Error(`createHash: numbats hashes with sha256 only, not ${String(algorithm)}`);
  return new SmallFirstHash();
}
