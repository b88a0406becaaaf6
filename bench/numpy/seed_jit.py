"""The seed's image-downsampling functions of issue 14 as Numba @njit functions, shared by
bench/numpy/jit.py (the jit suite) and bench/numpy/downsample.py (Numba's 2x2 localMean beside
the stencil): directAssign, and localMean calling getDownSampleValue(img, i, j, win), as
examples/downsample.ts writes them for nb.jit. Importing this module needs Numba."""
import numba


@numba.njit(cache=False)
def direct_assign(img_new, new_height, new_width, down, img):
    for i in range(new_height):
        for j in range(new_width):
            img_new[i, j] = img[i * down, j * down]


@numba.njit(cache=False)
def get_down_sample_value(img, i, j, win):
    s = 0
    for a in range(win):
        for b in range(win):
            s += img[i * win + a, j * win + b]
    return s / (win * win)


@numba.njit(cache=False)
def local_mean(img_new, new_height, new_width, down, img):
    for i in range(new_height):
        for j in range(new_width):
            img_new[i, j] = get_down_sample_value(img, i, j, down)
