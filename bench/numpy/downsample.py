"""NumPy and Numba side of bench/downsample.bench.ts: a 12000x5000 uint8 image downsampled
by 2, 'direct' (img[::2, ::2].copy()) and '2x2 local mean' (NumPy: the four strided views
summed in uint16; Numba: the plain loop, the window-mean loop, and the seed's localMean with
getDownSampleValue, bench/numpy/seed_jit.py). Prints {case: median ns per output pixel} as JSON.
Numba cases are left out when Numba is missing."""
import json

import numpy as np
from timing import median_ns

H, W = 12000, 5000
img = (((np.arange(H * W, dtype=np.uint64) * 2654435761) & 0xFFFFFFFF) >> 24).astype(np.uint8).reshape(H, W)
M = (H // 2) * (W // 2)


def mean_numpy(a):
    s = a[::2, ::2].astype(np.uint16)
    s += a[::2, 1::2]
    s += a[1::2, ::2]
    s += a[1::2, 1::2]
    s += 2
    return (s >> 2).astype(np.uint8)


res = {
    'direct_numpy': median_ns(lambda: img[::2, ::2].copy(), M),
    'mean_numpy': median_ns(lambda: mean_numpy(img), M),
}
try:
    import numba

    @numba.njit(cache=False)
    def mean_numba(a):
        h, w = a.shape[0] // 2, a.shape[1] // 2
        out = np.empty((h, w), np.uint8)
        for i in range(h):
            for j in range(w):
                s = np.uint16(a[2 * i, 2 * j]) + a[2 * i, 2 * j + 1] + a[2 * i + 1, 2 * j] + a[2 * i + 1, 2 * j + 1]
                out[i, j] = (s + 2) >> 2
        return out

    @numba.njit(cache=False)
    def direct_numba(a):
        h, w = (a.shape[0] + 1) // 2, (a.shape[1] + 1) // 2
        out = np.empty((h, w), np.uint8)
        for i in range(h):
            for j in range(w):
                out[i, j] = a[2 * i, 2 * j]
        return out

    @numba.njit(cache=False)
    def mean_numba_window(a):
        # The textbook form: the mean of each 2x2 window (float, truncated to uint8).
        h, w = a.shape[0] // 2, a.shape[1] // 2
        out = np.empty((h, w), np.uint8)
        for i in range(h):
            for j in range(w):
                out[i, j] = a[2 * i:2 * i + 2, 2 * j:2 * j + 2].mean()
        return out

    assert (mean_numba(img) == mean_numpy(img)).all()
    res['mean_numba'] = median_ns(lambda: mean_numba(img), M)
    res['direct_numba'] = median_ns(lambda: direct_numba(img), M)
    mean_numba_window(img)
    res['mean_numba_window'] = median_ns(lambda: mean_numba_window(img), M, reps=5)
    # The seed's localMean (issue 16 item 6's goal is stated against it): truncated means
    # of each 2x2 block into a preallocated image.
    from seed_jit import local_mean
    lm = np.zeros((H // 2, W // 2), np.uint8)
    local_mean(lm, H // 2, W // 2, 2, img)
    res['mean_numba_localmean'] = median_ns(lambda: local_mean(lm, H // 2, W // 2, 2, img), M, reps=5)
    res['numba_version'] = numba.__version__
except ImportError:
    pass
print(json.dumps(res))
