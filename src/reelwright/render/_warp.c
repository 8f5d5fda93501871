/* Sub-pixel zoom-and-pan of one 8-bit plane: the Ken Burns warp of render/motion.py.
 *
 * dst(x, y) = src(left + x * inv, top + y * inv), bilinear: rows blended in 1/128 steps,
 * columns in 1/1024, 16-bit intermediates and a single rounding at the end (rounding twice
 * made the motion measurably less even). A Ken Burns view steps at most 1.5 source pixels
 * per output pixel (kenburns.MAX_STEP), so four output pixels read at most seven
 * neighbouring source values, within one 8-value load: each output
 * row is one vertical blend of two source rows, then per four pixels an SSSE3 shuffle
 * (pshufb) that gathers the pairs and a multiply-add (pmaddwd) that blends them. About
 * 0.7 ms for a 1080p luma plane, against about 3 ms for OpenCV's general warpAffine and
 * 12 ms for ffmpeg's perspective filter.
 *
 * zoom(src, dst, left, top, inv[, weight]) -> bool. False means "not here" (no SSSE3,
 * inv > 1.5, a plane smaller than 2x2): the caller falls back to OpenCV. With a weight in
 * [0, 1] the warped plane is blended into what dst holds (dst * (1 - weight) + warp * weight,
 * weight in 1/256 steps): a cross-fade in the same pass. The GIL is released while it runs,
 * so lanes warp in parallel.
 *
 * splice(fd, buffer) writes all of buffer into the pipe fd with vmsplice(2): the pipe takes
 * references to the pages instead of a copy. The caller must leave the bytes untouched until
 * the reader has read them (render/motion.py keeps a ring of frames larger than the pipe).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_X86 1
#include <tmmintrin.h>
#else
#define HAVE_X86 0
#endif

/* Source index and weight (of ``one``) of the next sample, for n samples from start, step
 * apart: sample = src[index] * (one - weight) + src[index + 1] * weight. */
static void taps(double start, double step, int n, int size, int one, int *index,
                 int16_t *weight)
{
    for (int k = 0; k < n; k++) {
        double s = start + k * step;
        int i = (int)floor(s);
        int f = (int)lround((s - i) * one);
        if (f == one) {
            i++;
            f = 0;
        }
        if (i >= size - 1) {
            i = size - 2;
            f = one;
        }
        if (i < 0) {
            i = 0;
            f = 0;
        }
        index[k] = i;
        weight[k] = (int16_t)f;
    }
}

#if HAVE_X86
/* Vertical weights in 1/128 (255 * 128 still fits the signed 16 bits pmaddwd reads),
 * horizontal in 1/1024; one rounding at the very end. */
#define ROW_ONE 128
#define COL_ONE 1024
#define SHIFT 17
#define MAX_STEP 1.5 /* four output pixels then span at most 7 source values */

__attribute__((target("ssse3")))
static int zoom_ssse3(const uint8_t *src, Py_ssize_t sw, Py_ssize_t sh, Py_ssize_t ss,
                      uint8_t *dst, Py_ssize_t dw, Py_ssize_t dh, Py_ssize_t ds,
                      double left, double top, double inv, int blend)
{
    int groups = (int)((dw + 15) / 16), blocks = groups * 4, ok = 0;
    int *xi = malloc(sizeof(int) * (size_t)blocks * 4);
    int16_t *wx = malloc(sizeof(int16_t) * (size_t)blocks * 4);
    int *base = malloc(sizeof(int) * (size_t)blocks);
    __m128i *shuffle = _mm_malloc(sizeof(__m128i) * (size_t)blocks, 16);
    __m128i *weights = _mm_malloc(sizeof(__m128i) * (size_t)blocks, 16);
    uint16_t *row = NULL;
    uint8_t *line = NULL;
    if (!xi || !wx || !base || !shuffle || !weights)
        goto done;
    /* columns: the padding ones past dw are computed too (clamped), never stored */
    taps(left, inv, blocks * 4, (int)sw, COL_ONE, xi, wx);
    int x0 = xi[0], span = xi[blocks * 4 - 1] + 1 - x0 + 1;
    row = _mm_malloc(sizeof(uint16_t) * ((size_t)span + 32), 16);
    line = _mm_malloc((size_t)groups * 16, 16);
    if (!row || !line)
        goto done;
    memset(row + span, 0, sizeof(uint16_t) * 32);
    for (int b = 0; b < blocks; b++) {
        uint8_t mask[16];
        int16_t w[8];
        base[b] = xi[b * 4] - x0;
        for (int k = 0; k < 4; k++) {
            int r = xi[b * 4 + k] - x0 - base[b]; /* 0..5 when inv <= 1.5: 8 values read */
            for (int j = 0; j < 4; j++)
                mask[4 * k + j] = (uint8_t)(2 * r + j);
            w[2 * k] = (int16_t)(COL_ONE - wx[b * 4 + k]);
            w[2 * k + 1] = wx[b * 4 + k];
        }
        shuffle[b] = _mm_loadu_si128((const __m128i *)mask);
        weights[b] = _mm_loadu_si128((const __m128i *)w);
    }
    const __m128i zero = _mm_setzero_si128(), half = _mm_set1_epi32(1 << (SHIFT - 1));
    for (Py_ssize_t y = 0; y < dh; y++) {
        int yi;
        int16_t wy;
        taps(top + (double)y * inv, 0.0, 1, (int)sh, ROW_ONE, &yi, &wy);
        const uint8_t *a = src + (size_t)yi * (size_t)ss + x0, *b = a + ss;
        const __m128i wa = _mm_set1_epi16((short)(ROW_ONE - wy)), wb = _mm_set1_epi16(wy);
        int k = 0;
        for (; k + 16 <= span; k += 16) {
            __m128i va = _mm_loadu_si128((const __m128i *)(a + k));
            __m128i vb = _mm_loadu_si128((const __m128i *)(b + k));
            __m128i lo = _mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(va, zero), wa),
                                       _mm_mullo_epi16(_mm_unpacklo_epi8(vb, zero), wb));
            __m128i hi = _mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(va, zero), wa),
                                       _mm_mullo_epi16(_mm_unpackhi_epi8(vb, zero), wb));
            _mm_storeu_si128((__m128i *)(row + k), lo);
            _mm_storeu_si128((__m128i *)(row + k + 8), hi);
        }
        for (; k < span; k++)
            row[k] = (uint16_t)(a[k] * (ROW_ONE - wy) + b[k] * wy);
        for (int g = 0; g < groups; g++) {
            __m128i sums[4];
            for (int j = 0; j < 4; j++) {
                int c = g * 4 + j;
                __m128i s = _mm_loadu_si128((const __m128i *)(row + base[c]));
                __m128i m = _mm_madd_epi16(_mm_shuffle_epi8(s, shuffle[c]), weights[c]);
                sums[j] = _mm_srai_epi32(_mm_add_epi32(m, half), SHIFT);
            }
            __m128i lo = _mm_packs_epi32(sums[0], sums[1]);
            __m128i hi = _mm_packs_epi32(sums[2], sums[3]);
            _mm_storeu_si128((__m128i *)(line + (size_t)g * 16), _mm_packus_epi16(lo, hi));
        }
        uint8_t *out = dst + (size_t)y * (size_t)ds;
        if (blend < 0) {
            memcpy(out, line, (size_t)dw);
            continue;
        }
        /* out = (out * (256 - blend) + line * blend + 128) / 256; at most 65407: 16 bits */
        const __m128i keep = _mm_set1_epi16((short)(256 - blend));
        const __m128i take = _mm_set1_epi16((short)blend), round = _mm_set1_epi16(128);
        Py_ssize_t x = 0;
        for (; x + 16 <= dw; x += 16) {
            __m128i d = _mm_loadu_si128((const __m128i *)(out + x));
            __m128i v = _mm_loadu_si128((const __m128i *)(line + x));
            __m128i lo = _mm_add_epi16(
                _mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(d, zero), keep),
                              _mm_mullo_epi16(_mm_unpacklo_epi8(v, zero), take)), round);
            __m128i hi = _mm_add_epi16(
                _mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(d, zero), keep),
                              _mm_mullo_epi16(_mm_unpackhi_epi8(v, zero), take)), round);
            _mm_storeu_si128((__m128i *)(out + x),
                             _mm_packus_epi16(_mm_srli_epi16(lo, 8), _mm_srli_epi16(hi, 8)));
        }
        for (; x < dw; x++)
            out[x] = (uint8_t)((out[x] * (256 - blend) + line[x] * blend + 128) >> 8);
    }
    ok = 1;
done:
    free(xi);
    free(wx);
    free(base);
    _mm_free(shuffle);
    _mm_free(weights);
    _mm_free(row);
    _mm_free(line);
    return ok ? 1 : -1;
}
#endif

static int plane(PyObject *obj, Py_buffer *view, int writable, const char *name)
{
    int flags = PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    if (view->ndim != 2 || view->itemsize != 1 || view->strides[1] != 1 ||
        view->strides[0] < view->shape[1] ||
        (view->format && strcmp(view->format, "B") != 0)) {
        PyErr_Format(PyExc_ValueError, "%s must be a 2-D uint8 plane with contiguous rows",
                     name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *zoom(PyObject *self, PyObject *args)
{
    PyObject *src_obj, *dst_obj;
    double left, top, inv, weight = -1.0;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOddd|d:zoom", &src_obj, &dst_obj, &left, &top, &inv,
                          &weight))
        return NULL;
    if (weight > 1.0) {
        PyErr_SetString(PyExc_ValueError, "weight must be at most 1");
        return NULL;
    }
    int blend = weight < 0.0 ? -1 : (int)lround(weight * 256.0);
    Py_buffer src, dst;
    if (plane(src_obj, &src, 0, "src") < 0)
        return NULL;
    if (plane(dst_obj, &dst, 1, "dst") < 0) {
        PyBuffer_Release(&src);
        return NULL;
    }
    int result = 0;
#if HAVE_X86
    if (__builtin_cpu_supports("ssse3") && inv > 0.0 && inv <= MAX_STEP && src.shape[0] >= 2 &&
        src.shape[1] >= 2 && isfinite(left) && isfinite(top)) {
        Py_BEGIN_ALLOW_THREADS
        result = zoom_ssse3(src.buf, src.shape[1], src.shape[0], src.strides[0], dst.buf,
                            dst.shape[1], dst.shape[0], dst.strides[0], left, top, inv,
                            blend);
        Py_END_ALLOW_THREADS
    }
#endif
    PyBuffer_Release(&src);
    PyBuffer_Release(&dst);
    if (result < 0)
        return PyErr_NoMemory();
    return PyBool_FromLong(result == 1);
}

#ifdef __linux__
static PyObject *splice_all(PyObject *self, PyObject *args)
{
    int fd;
    Py_buffer data;
    (void)self;
    if (!PyArg_ParseTuple(args, "iy*:splice", &fd, &data))
        return NULL;
    char *at = data.buf;
    size_t left = (size_t)data.len;
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    while (left > 0) {
        struct iovec part = {at, left};
        ssize_t n = vmsplice(fd, &part, 1, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            failed = errno;
            break;
        }
        at += n;
        left -= (size_t)n;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    if (failed) {
        errno = failed;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"zoom", zoom, METH_VARARGS,
     "zoom(src, dst, left, top, inv[, weight]) -> bool: dst(x, y) = src(left + x*inv, "
     "top + y*inv), bilinear (blended into dst with weight, if given); False when this "
     "machine or these arguments need the OpenCV fallback."},
#ifdef __linux__
    {"splice", splice_all, METH_VARARGS,
     "splice(fd, buffer): write all of buffer into the pipe fd by vmsplice(2), by reference; "
     "the bytes must stay untouched until the reader has read them."},
#endif
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_warp", "Ken Burns zoom-and-pan of 8-bit planes (SSSE3).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__warp(void) { return PyModule_Create(&module); }
