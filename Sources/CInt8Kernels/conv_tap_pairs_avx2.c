// The AVX2 direct convolution for layers with several input channels that Winograd does not take (strided ones,
// 1×1 projections, other kernel sizes): the GEMM inner loop of winograd_avx2.c on the plain taps. A kernel row is
// one run of kernel_w × channels input bytes (HWC); its bytes are taken in pairs (2p, 2p + 1), one vpmaddwd
// pair each. The input rows an output row reads are widened to int16 first, so a pair reaches the multiplier by
// one 4-byte broadcast load; the weights are re-laid out once per layer as int16 pairs in the packed layout's
// lane order (weight_cache.h), so the inner loop is 2 weight loads, 6 broadcasts and 12 × (vpmaddwd + vpaddd)
// for a tile of 6 pixels × 16 channels, with nothing to widen, shuffle or reduce.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include "requantize_avx2.h"
#include "weight_cache.h"
#include <stdlib.h>

enum {
    pairs_capacity = 16384,   ///< int16 elements of widened input rows per output row (32 KB of stack)
    pairs_max_pixels = 6,
};

/// [block][kernel row][pair][16 lanes][2] int16: pair p of row ky holds bytes 2p and 2p + 1 of the row's run
/// (the packing's groups of 4, zero-padded past the run, so groups·2 pairs per row).
static void *pairs_build(const digits_conv_args *a, int *info) {
    (void)info;
    const int blocks = (a->out_channels + 15) / 16, pairs = a->groups * 2;
    const int64_t block_stride = (int64_t)a->kernel_h * a->groups * 64;
    int16_t *u = aligned_alloc(32, (size_t)blocks * a->kernel_h * pairs * 32 * sizeof(int16_t));
    if (u == NULL) return NULL;
    for (int ob = 0; ob < blocks; ob++)
        for (int ky = 0; ky < a->kernel_h; ky++)
            for (int p = 0; p < pairs; p++)
                for (int lane = 0; lane < 16; lane++)
                    for (int e = 0; e < 2; e++) {
                        const int r = 2 * p + e;
                        const int8_t w = a->weights[ob * block_stride + (int64_t)ky * a->groups * 64 + (r / 4) * 64 +
                                                    lane * 4 + r % 4];
                        u[((((size_t)ob * a->kernel_h + ky) * pairs + p) * 16 + lane) * 2 + e] = w;
                    }
    return u;
}

/// `count` input bytes → int16, zero-extended.
INLINE AVX2 void widen_bytes(int16_t *dst, const uint8_t *src, int64_t count) {
    int64_t i = 0;
    for (; i + 16 <= count; i += 16)
        _mm256_storeu_si256((__m256i *)(dst + i), _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < count; i++) dst[i] = src[i];
}

/// Adds P pixels from `ox` of one block of 16 channels into `acc`; `rows`: kernel_h widened rows of `row_len`
/// elements.
INLINE AVX2 void pairs_accumulate(const digits_conv_args *a, const int16_t *rows, int64_t row_len, int64_t px,
                                  const int16_t *u, int ox, __m256i acc[][2], const int P) {
    const int pairs = a->groups * 2;
    for (int ky = 0; ky < a->kernel_h; ky++) {
        const int16_t *row = rows + ky * row_len + ox * px;
        const int16_t *w = u + (int64_t)ky * pairs * 32;
        for (int i = 0; i < pairs; i++) {
            const __m256i w0 = _mm256_load_si256((const __m256i *)(w + i * 32));
            const __m256i w1 = _mm256_load_si256((const __m256i *)(w + i * 32 + 16));
#pragma clang loop unroll(full)
            for (int p = 0; p < P; p++) {
                int32_t pair;
                __builtin_memcpy(&pair, row + p * px + 2 * i, 4);
                const __m256i xv = _mm256_set1_epi32(pair);
                acc[p][0] = _mm256_add_epi32(acc[p][0], _mm256_madd_epi16(xv, w0));
                acc[p][1] = _mm256_add_epi32(acc[p][1], _mm256_madd_epi16(xv, w1));
            }
        }
    }
}

/// P pixels from `ox` × one block of 16 channels, requantized and stored.
INLINE AVX2 void pairs_tile(const digits_conv_args *a, const int16_t *rows, int64_t row_len, int64_t px,
                            const int16_t *u, int ob, int ox, uint8_t *out_row, const requant_block2 *q, const int P) {
    __m256i acc[pairs_max_pixels][2];
    init_block_accumulators(a, ob, acc, P);
    pairs_accumulate(a, rows, row_len, px, u, ox, acc, P);
    store_block_pixels(a, out_row, ox, ob, q, acc, P);
}

/// Q (≤ 2) pooled pixels from `pox` × one block: the 2Q × 2 convolution pixels under them (top row from `rows`,
/// bottom row from `rows` + stride_y rows), the window maxima of their accumulators, requantized once each.
INLINE AVX2 void pairs_pool_tile(const digits_conv_args *a, const int16_t *rows, int64_t row_len, int64_t px,
                                 const int16_t *u, int ob, int pox, uint8_t *out_row, const requant_block2 *q,
                                 const int Q) {
    __m256i acc[4][2], top[2][2];
    init_block_accumulators(a, ob, acc, 2 * Q);
    pairs_accumulate(a, rows, row_len, px, u, 2 * pox, acc, 2 * Q);
#pragma clang loop unroll(full)
    for (int k = 0; k < Q; k++)
        for (int h = 0; h < 2; h++) top[k][h] = _mm256_max_epi32(acc[2 * k][h], acc[2 * k + 1][h]);
    init_block_accumulators(a, ob, acc, 2 * Q);
    pairs_accumulate(a, rows + a->stride_y * row_len, row_len, px, u, 2 * pox, acc, 2 * Q);
#pragma clang loop unroll(full)
    for (int k = 0; k < Q; k++)
        for (int h = 0; h < 2; h++)
            acc[k][h] = _mm256_max_epi32(top[k][h], _mm256_max_epi32(acc[2 * k][h], acc[2 * k + 1][h]));
    store_block_pixels(a, out_row, pox, ob, q, acc, Q);
}

AVX2 int digits_conv_tap_pairs_avx2(const digits_conv_args *a) {
    if (a->pairs || a->in_pixel_stride < 2 || a->out_w < 1 || a->kernel_h < 1) return 0;
    const int64_t px = (int64_t)a->stride_x * a->in_pixel_stride;
    const int64_t row_len = (int64_t)(a->out_w - 1) * px + (int64_t)a->groups * 4;
    if (a->kernel_h * row_len > pairs_capacity) return 0;
    const int16_t *u = digits_cached_weights(a, weight_layout_tap_pairs, pairs_build, NULL);
    if (u == NULL) return 0;
    int16_t rows[pairs_capacity] __attribute__((aligned(32)));
    const int blocks = (a->out_channels + 15) / 16;
    const int64_t block_elements = (int64_t)a->kernel_h * a->groups * 2 * 32;
    // Near-equal tiles of at most 6 pixels (14 → 5 + 5 + 4): a narrow tile reloads the weights for few pixels.
    const int tiles = (a->out_w + pairs_max_pixels - 1) / pairs_max_pixels;
    for (int oy = 0; oy < a->out_h; oy++) {
        const uint8_t *in = a->input + (int64_t)oy * a->stride_y * a->in_row_stride;
        for (int ky = 0; ky < a->kernel_h; ky++) widen_bytes(rows + ky * row_len, in + ky * a->in_row_stride, row_len);
        uint8_t *out_row = a->output + (int64_t)oy * a->out_row_stride;
        for (int ob = 0; ob < blocks; ob++) {
            const requant_block2 q = load_requant2(a->multiplier + ob * 16, a->rounding + ob * 16, a->shift + ob * 16);
            const int16_t *ub = u + ob * block_elements;
            int ox = 0;
            for (int t = 0; t < tiles; t++) {
                const int w = a->out_w / tiles + (t < a->out_w % tiles);
#define PAIRS_TILE(P) pairs_tile(a, rows, row_len, px, ub, ob, ox, out_row, &q, P)
                FOR_TILE_WIDTH_UP_TO_6(w, PAIRS_TILE)
#undef PAIRS_TILE
                ox += w;
            }
        }
    }
    return 1;
}

AVX2 int digits_conv_pool_tap_pairs_avx2(const digits_conv_args *a) {
    if (a->pairs || a->in_pixel_stride < 2 || a->out_w < 2 || a->kernel_h < 1 || a->out_h % 2 || a->out_w % 2)
        return 0;
    const int64_t px = (int64_t)a->stride_x * a->in_pixel_stride;
    const int64_t row_len = (int64_t)(a->out_w - 1) * px + (int64_t)a->groups * 4;
    const int input_rows = a->kernel_h + a->stride_y;   // the two convolution rows' input rows
    if (input_rows * row_len > pairs_capacity) return 0;
    const int16_t *u = digits_cached_weights(a, weight_layout_tap_pairs, pairs_build, NULL);
    if (u == NULL) return 0;
    int16_t rows[pairs_capacity] __attribute__((aligned(32)));
    const int blocks = (a->out_channels + 15) / 16;
    const int64_t block_elements = (int64_t)a->kernel_h * a->groups * 2 * 32;
    const int pooled_w = a->out_w / 2;
    for (int py = 0; py < a->out_h / 2; py++) {
        const uint8_t *in = a->input + (int64_t)2 * py * a->stride_y * a->in_row_stride;
        for (int r = 0; r < input_rows; r++) widen_bytes(rows + r * row_len, in + r * a->in_row_stride, row_len);
        uint8_t *out_row = a->output + (int64_t)py * a->out_row_stride;
        for (int ob = 0; ob < blocks; ob++) {
            const requant_block2 q = load_requant2(a->multiplier + ob * 16, a->rounding + ob * 16, a->shift + ob * 16);
            const int16_t *ub = u + ob * block_elements;
            int pox = 0;
            for (; pox + 2 <= pooled_w; pox += 2) pairs_pool_tile(a, rows, row_len, px, ub, ob, pox, out_row, &q, 2);
            if (pox < pooled_w) pairs_pool_tile(a, rows, row_len, px, ub, ob, pox, out_row, &q, 1);
        }
    }
    return 1;
}

#else

int digits_conv_tap_pairs_avx2(const digits_conv_args *args) { (void)args; return 0; }
int digits_conv_pool_tap_pairs_avx2(const digits_conv_args *args) { (void)args; return 0; }

#endif
