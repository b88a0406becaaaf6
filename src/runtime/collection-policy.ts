/**
 * The collection policy (issue 16 item 1: no stalls while the heap grows): how large the
 * heap may get before the next forced collection (lifetime.ts runs it). Pure functions of
 * byte counts, so that the sizes it allows can be checked without timing anything.
 *
 * Growing and collecting both cost: a forced full GC 3-15 ms (more while a kernel compile's
 * aftermath keeps V8's background threads busy), and fresh pages their first touch, measured
 * ~1.1 ms per MiB here (80 ms for an 80 MB output, as much as computing it; NumPy pays it on
 * every call). So, as V8 sizes its own heap: after each forced collection the live bytes L are
 * known, and the heap may hold L, the request, and room for garbage (max({@link LIVE_HEADROOM}
 * x (L + request), allowance)) before the next collection. Past that budget a pressure event
 * collects; below it, the heap grows straight to the budget (one growth, not many; prefault.ts
 * maps the surplus's pages in the background). The allowance starts at
 * {@link GC_ALLOWANCE_MIN_BYTES} and doubles (up to {@link GC_ALLOWANCE_MAX_BYTES}) while
 * forced collections take more than {@link GC_TIME_SHARE} of the time, halving again when they
 * take under a quarter of it.
 *
 * Room for garbage is counted in whole requests once requests are large
 * ({@link WHOLE_REQUEST_MIN_BYTES}): a loop that makes one large array per step needs room for
 * a whole next array, and room for 0.75 of one only holds the heap larger without saving a
 * collection. Measured on `r = f(x)` at 1e7 float64 elements (bench/memory-growth.ts; 80 MB
 * per array, x and r reachable, 153 MiB): room of 60 MiB (1/4 of x, r and the request) forced
 * a collection on every call in a 300 MiB heap; one whole request's room forces one every
 * second call in a 320 MiB heap (2.1x the reachable bytes; the goal is at most 2.5x).
 */

/** Room for garbage, as a share of the live bytes and the request, that is always allowed. */
export const LIVE_HEADROOM = 0.25;
/** The allowance for garbage at the start, and its floor when collections are cheap. */
export const GC_ALLOWANCE_MIN_BYTES = 32 * 2 ** 20;
/**
 * The allowance never exceeds max(this, {@link LIVE_HEADROOM_MAX} x (L + request)): however
 * costly collections are, a large live set keeps the heap within 1.5x of it (the high-water
 * goal of issue 16: at most 2.5x the bytes a loop keeps reachable).
 */
export const GC_ALLOWANCE_MAX_BYTES = 128 * 2 ** 20;
export const LIVE_HEADROOM_MAX = 0.5;
/** Forced collections taking more than this share of the time double the allowance. */
export const GC_TIME_SHARE = 0.1;
/** Requests from this size up get room for garbage in whole requests (see the header). */
export const WHOLE_REQUEST_MIN_BYTES = 4 * 2 ** 20;

/**
 * The heap size allowed before the next forced collection, after one that left `live` bytes,
 * for a request of `needed` bytes, with the current `allowance`.
 *
 * @example
 * ```ts
 * collectionBudget(160 * 2 ** 20, 80 * 2 ** 20, GC_ALLOWANCE_MIN_BYTES); // 320 MiB: one spare 80 MiB block
 * ```
 */
export function collectionBudget(live: number, needed: number, allowance: number): number {
  const base = live + needed;
  const cap = Math.max(GC_ALLOWANCE_MAX_BYTES, LIVE_HEADROOM_MAX * base);
  let room = Math.max(LIVE_HEADROOM * base, Math.min(allowance, cap));
  if (needed >= WHOLE_REQUEST_MIN_BYTES) {
    // Up to the next whole request when the cap allows it, else down to the last one.
    const up = Math.ceil(room / needed) * needed;
    const down = Math.floor(room / needed) * needed;
    room = up <= cap ? up : down > 0 ? down : room;
  }
  return base + room;
}

/**
 * The allowance after a forced collection that took `share` of the time since the previous
 * one, with `live` bytes live after it.
 *
 * @example
 * ```ts
 * nextAllowance(GC_ALLOWANCE_MIN_BYTES, 0.2, 0); // 64 MiB: collections took a fifth of the time
 * ```
 */
export function nextAllowance(allowance: number, share: number, live: number): number {
  if (share > GC_TIME_SHARE) return Math.min(allowance * 2, Math.max(GC_ALLOWANCE_MAX_BYTES, LIVE_HEADROOM_MAX * live));
  if (share < GC_TIME_SHARE / 4 && allowance > GC_ALLOWANCE_MIN_BYTES) return allowance / 2;
  return allowance;
}
