// AVX2 convolution of a one-channel input (the first layer of every shipped network): 9 taps per output leave
// the byte-input kernel's 4-tap groups a third empty and its per-pixel shuffles and reductions in the way.
// Here the taps are paired for vpmaddwd — vertically (rows ky, ky + 1 at the same column) where two rows remain,
// else horizontally — so a 3×3 kernel takes 5 products of pairs; the input rows an output row reads are first
// widened to int16 and interleaved, so each pair reaches the multiplier by one 4-byte broadcast load; and each
// accumulator holds 8 output channels in the order requantize16_avx2 takes, with nothing to reduce. A tile is up
// to 6 pixels × 16 channels (12 accumulators). Same integers as every other kernel (int8_kernels.h).
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include "interleaved_rows_avx2.h"
#include "weight_cache.h"
#include <stdlib.h>

enum {
    single_max_row = 1024,   ///< input columns one output row reads
    single_max_pairs = 64,   ///< tap pairs (a 11×11 kernel has 66)
    single_max_pixels = 6,
};

/// Weight of output lane `lane` of block `ob` at tap (ky, kx), from the packed layout (one input byte per column).
/// A layer packed "paired" (≤ 8 channels, channel c in lanes 2c and 2c + 1 for two pixels at once) holds the
/// ordinary layout in its even lanes; its odd lanes read as zero here, and this kernel computes one pixel per
/// tile column like any other layer (requantize16_avx2 takes channels 0–7 from the even lanes, and the paired
/// bias and multipliers hold channel c's values there; the odd lanes' results are never stored).
static int packed_tap(const digits_conv_args *a, int ob, int lane, int ky, int kx) {
    if (a->pairs && lane % 2) return 0;
    const int64_t block_stride = (int64_t)a->kernel_h * a->groups * 64;
    return a->weights[ob * block_stride + (int64_t)ky * a->groups * 64 + (kx / 4) * 64 + lane * 4 + kx % 4];
}

/// [block][pair][16 lanes][2] int16; `*info` = the kernel width: the last column with a nonzero weight + 1 (the
/// packing pads rows to groups of 4 with zero weights, which contribute nothing).
static void *single_build(const digits_conv_args *a, int *info) {
    const int blocks = (a->out_channels + 15) / 16;
    int width = 0;
    for (int ob = 0; ob < blocks; ob++)
        for (int lane = 0; lane < 16; lane++)
            for (int ky = 0; ky < a->kernel_h; ky++)
                for (int kx = 0; kx < 4 * a->groups; kx++)
                    if (packed_tap(a, ob, lane, ky, kx) != 0 && kx + 1 > width) width = kx + 1;
    if (width == 0) width = 1;
    tap_pair pairs[single_max_pairs];
    if ((a->kernel_h / 2) * width + (width + 1) / 2 > single_max_pairs) return NULL;
    const int n = tap_pairs(a->kernel_h, width, pairs);
    int16_t *u = aligned_alloc(32, (size_t)blocks * n * 32 * sizeof(int16_t));
    if (u == NULL) return NULL;
    for (int ob = 0; ob < blocks; ob++)
        for (int i = 0; i < n; i++)
            for (int lane = 0; lane < 16; lane++) {
                const int last = pairs[i].buffer == a->kernel_h / 2 && a->kernel_h % 2;
                const int ky = 2 * pairs[i].buffer, kx = pairs[i].column;
                int16_t *at = u + (((size_t)ob * n + i) * 16 + lane) * 2;
                at[0] = (int16_t)packed_tap(a, ob, lane, ky, kx);
                at[1] = (int16_t)(last ? (kx + 1 < width ? packed_tap(a, ob, lane, ky, kx + 1) : 0)
                                       : packed_tap(a, ob, lane, ky + 1, kx));
            }
    *info = width;
    return u;
}

/// Adds P pixels (input columns x0 + p·stride) of one block of 16 channels into `acc`.
INLINE AVX2 void single_accumulate(const digits_conv_args *a, const int32_t *buffers, int64_t buffer_len,
                                   const tap_pair *pairs, int n, const int16_t *u, int ox, __m256i acc[][2],
                                   const int P) {
    const int64_t x0 = (int64_t)ox * a->stride_x;
    for (int i = 0; i < n; i++) {
        const __m256i w0 = _mm256_load_si256((const __m256i *)(u + i * 32));
        const __m256i w1 = _mm256_load_si256((const __m256i *)(u + i * 32 + 16));
        const int32_t *row = buffers + pairs[i].buffer * buffer_len + x0 + pairs[i].column;
#pragma clang loop unroll(full)
        for (int p = 0; p < P; p++) {
            const __m256i xv = _mm256_set1_epi32(row[p * a->stride_x]);
            acc[p][0] = _mm256_add_epi32(acc[p][0], _mm256_madd_epi16(xv, w0));
            acc[p][1] = _mm256_add_epi32(acc[p][1], _mm256_madd_epi16(xv, w1));
        }
    }
}

/// P pixels × one block of 16 channels, requantized and stored.
INLINE AVX2 void single_tile(const digits_conv_args *a, const int32_t *buffers, int64_t buffer_len,
                             const tap_pair *pairs, int n, const int16_t *u, int ob, int ox, uint8_t *out_row,
                             const requant_block2 *q, const int P) {
    __m256i acc[single_max_pixels][2];
    init_block_accumulators(a, ob, acc, P);
    single_accumulate(a, buffers, buffer_len, pairs, n, u, ox, acc, P);
    store_block_pixels(a, out_row, ox, ob, q, acc, P);
}

/// Q (≤ 2) pooled pixels from `pox` × one block: the 2Q × 2 convolution pixels under them (the top row's
/// buffers, then the bottom row's), the window maxima of their accumulators, requantized once each.
INLINE AVX2 void single_pool_tile(const digits_conv_args *a, const int32_t *top_buffers,
                                  const int32_t *bottom_buffers, int64_t buffer_len, const tap_pair *pairs, int n,
                                  const int16_t *u, int ob, int pox, uint8_t *out_row, const requant_block2 *q,
                                  const int Q) {
    __m256i acc[4][2], top[2][2];
    init_block_accumulators(a, ob, acc, 2 * Q);
    single_accumulate(a, top_buffers, buffer_len, pairs, n, u, 2 * pox, acc, 2 * Q);
#pragma clang loop unroll(full)
    for (int k = 0; k < Q; k++)
        for (int h = 0; h < 2; h++) top[k][h] = _mm256_max_epi32(acc[2 * k][h], acc[2 * k + 1][h]);
    init_block_accumulators(a, ob, acc, 2 * Q);
    single_accumulate(a, bottom_buffers, buffer_len, pairs, n, u, 2 * pox, acc, 2 * Q);
#pragma clang loop unroll(full)
    for (int k = 0; k < Q; k++)
        for (int h = 0; h < 2; h++)
            acc[k][h] = _mm256_max_epi32(top[k][h], _mm256_max_epi32(acc[2 * k][h], acc[2 * k + 1][h]));
    store_block_pixels(a, out_row, pox, ob, q, acc, Q);
}

/// What both entry points need: the re-laid-out weights, the tap pairs, the buffers' geometry. 0 when the layer
/// does not qualify or `row_sets` sets of buffers (one per output row computed together) exceed `capacity` int32.
typedef struct {
    const int16_t *u;
    tap_pair pairs[single_max_pairs];
    int n, buffers;
    int64_t row_len, buffer_len;
} single_setup;

static int single_prepare(const digits_conv_args *a, int row_sets, int64_t capacity, single_setup *s) {
    int width = 0;
    s->u = digits_cached_weights(a, weight_layout_single_input, single_build, &width);
    if (s->u == NULL) return 0;
    s->row_len = (int64_t)(a->out_w - 1) * a->stride_x + width;
    s->buffer_len = s->row_len + 1;
    s->buffers = (a->kernel_h + 1) / 2;
    if (s->buffer_len > single_max_row || row_sets * s->buffers * s->buffer_len > capacity) return 0;
    s->n = tap_pairs(a->kernel_h, width, s->pairs);
    return 1;
}

AVX2 int digits_conv_single_input_avx2(const digits_conv_args *a) {
    if (a->in_pixel_stride != 1 || a->kernel_h < 1 || a->out_w < 1 || (a->pairs && a->out_channels > 8)) return 0;
    int32_t rows[(single_max_row + 1) * 8] __attribute__((aligned(32)));
    single_setup s;
    if (!single_prepare(a, 1, sizeof rows / sizeof rows[0], &s)) return 0;
    const int16_t *u = s.u;
    const tap_pair *pairs = s.pairs;
    const int n = s.n;
    const int64_t row_len = s.row_len, buffer_len = s.buffer_len;
    const int blocks = (a->out_channels + 15) / 16;
    const int tiles = (a->out_w + single_max_pixels - 1) / single_max_pixels;
    for (int oy = 0; oy < a->out_h; oy++) {
        fill_interleaved_rows(a, a->input + (int64_t)oy * a->stride_y * a->in_row_stride, row_len, buffer_len, rows);
        uint8_t *out_row = a->output + (int64_t)oy * a->out_row_stride;
        for (int ob = 0; ob < blocks; ob++) {
            const requant_block2 q = load_requant2(a->multiplier + ob * 16, a->rounding + ob * 16, a->shift + ob * 16);
            const int16_t *ub = u + (size_t)ob * n * 32;
            int ox = 0;
            for (int t = 0; t < tiles; t++) {
                const int w = a->out_w / tiles + (t < a->out_w % tiles);
#define SINGLE_TILE(P) single_tile(a, rows, buffer_len, pairs, n, ub, ob, ox, out_row, &q, P)
                FOR_TILE_WIDTH_UP_TO_6(w, SINGLE_TILE)
#undef SINGLE_TILE
                ox += w;
            }
        }
    }
    return 1;
}

AVX2 int digits_conv_pool_single_input_avx2(const digits_conv_args *a) {
    if (a->in_pixel_stride != 1 || a->kernel_h < 1 || a->out_w < 2 || a->pairs || a->out_h % 2 || a->out_w % 2)
        return 0;
    int32_t rows[(single_max_row + 1) * 8] __attribute__((aligned(32)));
    single_setup s;
    if (!single_prepare(a, 2, sizeof rows / sizeof rows[0], &s)) return 0;
    const int16_t *u = s.u;
    const tap_pair *pairs = s.pairs;
    const int n = s.n;
    const int64_t row_len = s.row_len, buffer_len = s.buffer_len;
    int32_t *bottom = rows + s.buffers * buffer_len;
    const int blocks = (a->out_channels + 15) / 16;
    const int pooled_w = a->out_w / 2;
    for (int py = 0; py < a->out_h / 2; py++) {
        const uint8_t *in = a->input + (int64_t)2 * py * a->stride_y * a->in_row_stride;
        fill_interleaved_rows(a, in, row_len, buffer_len, rows);
        fill_interleaved_rows(a, in + (int64_t)a->stride_y * a->in_row_stride, row_len, buffer_len, bottom);
        uint8_t *out_row = a->output + (int64_t)py * a->out_row_stride;
        for (int ob = 0; ob < blocks; ob++) {
            const requant_block2 q = load_requant2(a->multiplier + ob * 16, a->rounding + ob * 16, a->shift + ob * 16);
            const int16_t *ub = u + (size_t)ob * n * 32;
            int pox = 0;
            for (; pox + 2 <= pooled_w; pox += 2)
                single_pool_tile(a, rows, bottom, buffer_len, pairs, n, ub, ob, pox, out_row, &q, 2);
            if (pox < pooled_w) single_pool_tile(a, rows, bottom, buffer_len, pairs, n, ub, ob, pox, out_row, &q, 1);
        }
    }
    return 1;
}

#else

int digits_conv_single_input_avx2(const digits_conv_args *args) { (void)args; return 0; }
int digits_conv_pool_single_input_avx2(const digits_conv_args *args) { (void)args; return 0; }

#endif
