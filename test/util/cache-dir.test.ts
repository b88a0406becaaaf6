// Where numbats keeps files (src/util/cache-dir.ts; docs/guide/09-performance.md "The disk
// cache"): the opt-in compile cache under the working directory's node_modules/.cache, the
// always-on code cache of the compiler under the OS temp directory; NUMBATS_CACHE_DIR moves both.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheDir, codeCacheDir } from '../../src/util/cache-dir.js';

describe('cache directories', () => {
  const saved = process.env.NUMBATS_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NUMBATS_CACHE_DIR;
    else process.env.NUMBATS_CACHE_DIR = saved;
  });

  it('default: node_modules/.cache/numbats under the working directory, and <tmpdir>/numbats for the code cache', () => {
    delete process.env.NUMBATS_CACHE_DIR;
    expect(cacheDir()).toBe(resolve('node_modules', '.cache', 'numbats'));
    expect(codeCacheDir()).toBe(join(tmpdir(), 'numbats'));
  });

  it('NUMBATS_CACHE_DIR moves both', () => {
    process.env.NUMBATS_CACHE_DIR = join(tmpdir(), 'nb-cache-dir-test');
    expect(cacheDir()).toBe(join(tmpdir(), 'nb-cache-dir-test'));
    expect(codeCacheDir()).toBe(join(tmpdir(), 'nb-cache-dir-test'));
  });
});
