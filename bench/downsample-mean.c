/* The C reference of bench/downsample-measure.ts: the 2x2 mean of an h x w uint8 image
 * (every second pixel, 'nearest' edges: the last row/column repeats for odd sizes), uint8
 * out, as examples/downsample.ts's stencil computes it. A plain loop, written as a C
 * programmer would: the even part without edge tests (which the compiler may vectorize),
 * then the odd edge. The image is bench/numpy/downsample.py's; the output is allocated once
 * (numbats' calls reuse freed heap blocks too). Prints {"median_ms", "check"} as JSON.
 * Usage: downsample-mean <h> <w> <reps> */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void mean2x2(const uint8_t *restrict a, uint8_t *restrict out, int h, int w) {
  int oh = (h + 1) / 2, ow = (w + 1) / 2;
  for (int i = 0; i < oh; i++) {
    const uint8_t *r0 = a + (size_t)(2 * i) * w;
    const uint8_t *r1 = a + (size_t)(2 * i + 1 < h ? 2 * i + 1 : h - 1) * w;
    uint8_t *q = out + (size_t)i * ow;
    int j = 0;
    for (; j < w / 2; j++) q[j] = (uint8_t)((r0[2 * j] + r0[2 * j + 1] + r1[2 * j] + r1[2 * j + 1] + 2) >> 2);
    if (j < ow) q[j] = (uint8_t)((2 * r0[w - 1] + 2 * r1[w - 1] + 2) >> 2);
  }
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  int h = atoi(argv[1]), w = atoi(argv[2]), reps = atoi(argv[3]);
  if (h < 1 || w < 1 || reps < 1 || reps > 1000) return 2;
  size_t n = (size_t)h * w, m = (size_t)((h + 1) / 2) * ((w + 1) / 2);
  uint8_t *a = malloc(n), *out = malloc(m);
  double *t = malloc(sizeof(double) * reps);
  if (!a || !out || !t) return 1;
  for (size_t i = 0; i < n; i++) a[i] = (uint8_t)(((uint32_t)i * 2654435761u) >> 24);
  unsigned long check = 0;
  for (int r = -3; r < reps; r++) {
    double t0 = now_ms();
    mean2x2(a, out, h, w);
    double dt = now_ms() - t0;
    if (r >= 0) t[r] = dt;
  }
  for (size_t i = 0; i < m; i++) check += out[i];
  qsort(t, reps, sizeof(double), cmp);
  printf("{\"median_ms\": %f, \"check\": %lu}\n", t[reps / 2], check);
  return 0;
}
