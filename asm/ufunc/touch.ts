/**
 * Keeping the "touch ahead" loads of the heavy unary loops alive.
 *
 * Transcendental SIMD loops spend ~50 instructions per 16 bytes, so the CPU's window holds
 * few loads and each DRAM miss is waited for nearly alone; Wasm has no prefetch
 * instruction. The generated loops therefore read one byte per cache line of the next
 * 4 KiB block before computing the current one, so those misses overlap. Measured by
 * bench/math-simd.ts: exp float64 over 1e7 elements 4.5 -> 2.75 ns/element. The bytes read
 * are summed into a global here so the optimiser cannot drop the loads.
 */
let touchSink: u32 = 0;

/** Record the sum of touched bytes (its value is never used). */
export function keepTouch(t: u32): void {
  touchSink += t;
}
