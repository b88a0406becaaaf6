/** Kernel sources shared by the scratch-array tests (test/compiler and test/vectorize). */

/** A gufunc `(n)->()`: the median of a row, by copying it into a scratch array and insertion-sorting it. */
export const MEDIAN = `(a, out) => {
  const buf = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) buf[i] = a[i];
  for (let i = 1; i < buf.length; i++) {
    const v = buf[i];
    let j = i - 1;
    while (j >= 0 && buf[j] > v) {
      buf[j + 1] = buf[j];
      j--;
    }
    buf[j + 1] = v;
  }
  out[0] = buf[buf.length >> 1];
}`;

/** (n),()->(): 200 passes, each allocating 4 KiB (the arena must be reset per pass). */
export const SCRATCH_LOOP = `(a, out) => {
  let s = 0;
  for (let i = 0; i < 200; i++) {
    const t = new Float64Array(512);
    t[i] = a[0] + i;
    s += t[i] + t[511 - i];
  }
  out[0] = s;
}`;
