// The input side shared by the AVX2 kernels for a one-channel input (conv_single_input_avx2.c,
// conv_few_channels_avx2.c): a kernel's taps paired for vpmaddwd, and the input rows one output row reads,
// widened and interleaved so that every tap pair of a pixel is one 4-byte load.
// Private to CInt8Kernels: include only inside an `#if defined(__x86_64__) && defined(__clang__)` block.
#ifndef DIGITS_INTERLEAVED_ROWS_AVX2_H
#define DIGITS_INTERLEAVED_ROWS_AVX2_H
#include "requantize_avx2.h"

/// A tap pair: `buffer` indexes the interleaved buffers (vertical pairs: buffer ky / 2; the last, unpaired row
/// of an odd kernel height: the horizontal-pair buffer), `column` the tap's kernel column.
typedef struct { int buffer, column; } tap_pair;

/// The layer's tap pairs in the order the weights are laid out — vertical (rows 2b, 2b + 1 at column kx) while
/// two kernel rows remain, then horizontal on the last row (columns kx, kx + 1) — and their count.
static inline int tap_pairs(int kernel_h, int kernel_w, tap_pair *pairs) {
    int n = 0;
    for (int ky = 0; ky + 1 < kernel_h; ky += 2)
        for (int kx = 0; kx < kernel_w; kx++) pairs[n++] = (tap_pair){ky / 2, kx};
    if (kernel_h % 2)
        for (int kx = 0; kx < kernel_w; kx += 2) pairs[n++] = (tap_pair){kernel_h / 2, kx};
    return n;
}

/// The buffers of the output row whose first input row is `in`, `buffer_len` int32 apart: buffer b <
/// kernel_h / 2 holds the int16 pairs (u[row 2b][x], u[row 2b + 1][x]); the last one, for an odd kernel height,
/// (u[row][x], u[row][x + 1]) with a zero past the row. Either way tap pair (b, kx) of the pixel at input column
/// x is element x + kx. Elements past `row_len` (+ 1) are left as they are.
INLINE AVX2 void fill_interleaved_rows(const digits_conv_args *a, const uint8_t *in, int64_t row_len,
                                       int64_t buffer_len, int32_t *rows) {
    for (int b = 0; b < a->kernel_h / 2; b++) {
        const uint8_t *r0 = in + (int64_t)(2 * b) * a->in_row_stride, *r1 = r0 + a->in_row_stride;
        int32_t *dst = rows + b * buffer_len;
        for (int64_t x = 0; x < row_len; x++) dst[x] = (int32_t)r0[x] | (int32_t)r1[x] << 16;
    }
    if (a->kernel_h % 2) {
        const uint8_t *r = in + (int64_t)(a->kernel_h - 1) * a->in_row_stride;
        int32_t *dst = rows + (a->kernel_h / 2) * buffer_len;
        for (int64_t x = 0; x + 1 < row_len; x++) dst[x] = (int32_t)r[x] | (int32_t)r[x + 1] << 16;
        dst[row_len - 1] = r[row_len - 1];
        dst[row_len] = 0;
    }
}

#endif
