// AVX2 convolution of a one-channel input into at most 8 channels (lenet5's first layer: 1 → 6, 5×5). The
// one-channel kernel (conv_single_input_avx2.c) puts channels in the vector lanes, so with 6 channels 10 of its
// 16 lanes multiply zeros and its epilogue requantizes 16 lanes for 6 bytes. Here the lanes are pixels: a
// register holds one channel's accumulators for 8 consecutive output pixels, and a tap pair is one vpmaddwd of
// the widened, interleaved input rows (8 pixels' pairs, one load) by the channel's two weights (one broadcast).
// Tiles of 16 pixels × C channels (2C accumulators; C ≤ 6, else 8 pixels), requantized per channel with its
// own multiplier (requantize_avx2.h's arithmetic, one channel per register), then transposed to the HWC bytes the next layer reads. Same integers as every other kernel
// (int8_kernels.h): the same products, summed exactly in int32, the same requantization.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include "interleaved_rows_avx2.h"
#include "weight_cache.h"
#include <stdlib.h>

enum {
    few_max_channels = 8,
    few_max_row = 512,     ///< input columns one output row reads
    few_max_pairs = 40,    ///< tap pairs (a 7×7 kernel has 25)
    few_slack = 16,        ///< zeroed buffer columns past a row: a last tile's unused lanes read them
};

/// Weight of channel c at tap (ky, kx) from the packed layout: lane 2c holds channel c < 8 both in the ordinary
/// layout and in the "paired" one (which repeats it in lane 2c + 1), so one rule reads both.
static int few_tap(const digits_conv_args *a, int c, int ky, int kx) {
    return a->weights[(int64_t)ky * a->groups * 64 + (kx / 4) * 64 + 2 * c * 4 + kx % 4];
}

/// The kernel width: the last column with a nonzero weight + 1 (the packing pads rows to groups of 4 with zeros).
static int few_width(const digits_conv_args *a) {
    int width = 1;
    for (int c = 0; c < a->out_channels; c++)
        for (int ky = 0; ky < a->kernel_h; ky++)
            for (int kx = 0; kx < 4 * a->groups; kx++)
                if (few_tap(a, c, ky, kx) != 0 && kx + 1 > width) width = kx + 1;
    return width;
}

/// [pair][channel] int32: the pair's two int16 weights, broadcast as one dword. `*info` = the kernel width.
/// NULL when the kernel has too many pairs.
static void *few_build(const digits_conv_args *a, int *info) {
    const int width = few_width(a);
    if ((a->kernel_h / 2) * width + (width + 1) / 2 > few_max_pairs) return NULL;
    tap_pair pairs[few_max_pairs];
    const int n = tap_pairs(a->kernel_h, width, pairs);
    int32_t *u = aligned_alloc(32, (size_t)n * few_max_channels * sizeof(int32_t));
    if (u == NULL) return NULL;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < few_max_channels; c++) {
            int first = 0, second = 0;
            if (c < a->out_channels) {
                const int last = pairs[i].buffer == a->kernel_h / 2 && a->kernel_h % 2;
                const int ky = 2 * pairs[i].buffer, kx = pairs[i].column;
                first = few_tap(a, c, ky, kx);
                second = last ? (kx + 1 < width ? few_tap(a, c, ky, kx + 1) : 0) : few_tap(a, c, ky + 1, kx);
            }
            u[i * few_max_channels + c] = (int32_t)(uint16_t)first | (int32_t)((uint32_t)(uint16_t)second << 16);
        }
    *info = width;
    return u;
}

/// One channel's requantization constants, as requant_block2 holds them for 4 channels (requantize_avx2.h):
/// `high` when the shift is ≥ 32 (then `s` holds s − 32 in the odd dwords), else the 64-bit form with the sign
/// bias (a channel whose weights are all zero has multiplier 0 and a small shift).
typedef struct { __m256i m, r, s, bias; int high; } few_requant;

AVX2 static few_requant few_requant_for(const digits_conv_args *a, int c) {
    const int64_t shift = a->shift[c];
    few_requant q;
    q.high = shift >= 32;
    q.m = _mm256_set1_epi64x(a->multiplier[c]);
    if (q.high) {
        q.r = _mm256_set1_epi64x(a->rounding[c]);
        q.s = _mm256_set1_epi64x((long long)((uint64_t)(shift - 32) << 32));
        q.bias = _mm256_setzero_si256();
    } else {
        const uint64_t sign = 0x8000000000000000ULL;
        q.r = _mm256_set1_epi64x((long long)((uint64_t)a->rounding[c] + sign));
        q.s = _mm256_set1_epi64x(shift);
        q.bias = _mm256_set1_epi64x((long long)(sign >> shift));
    }
    return q;
}

/// (acc·m + r) >> s for the even int32 lanes of `acc`: in the odd dwords (high), else in the even dwords,
/// clamped to ±1024 like requantize4.
INLINE AVX2 __m256i few_requantize4(__m256i acc, const few_requant *q) {
    const __m256i v = _mm256_add_epi64(_mm256_mul_epi32(acc, q->m), q->r);
    if (q->high) return _mm256_srav_epi32(v, q->s);
    const __m256i top = _mm256_set1_epi64x(1024), bottom = _mm256_set1_epi64x(-1024);
    __m256i x = _mm256_sub_epi64(_mm256_srlv_epi64(v, q->s), q->bias);
    x = _mm256_blendv_epi8(x, top, _mm256_cmpgt_epi64(x, top));
    return _mm256_blendv_epi8(x, bottom, _mm256_cmpgt_epi64(bottom, x));
}

/// One channel's requantization for 8 pixels, in pixel order.
INLINE AVX2 __m256i few_requantize8(__m256i acc, const few_requant *q) {
    const __m256i even = few_requantize4(acc, q), odd = few_requantize4(_mm256_srli_epi64(acc, 32), q);
    return q->high ? _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA)
                   : _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

/// 8 pixels × C channels (int32, one register per channel, pixel order) → the first `count` pixels' C bytes each,
/// at `out` + p·pixel_stride.
INLINE AVX2 void few_store8(__m256i y[few_max_channels], uint8_t *out, int64_t pixel_stride, int count,
                            __m256i zero, __m256i lo, __m256i hi, const int C) {
    __m256i v[4];
#pragma clang loop unroll(full)
    for (int k = 0; k < 4; k++) {
        // int16 [c(2k) p0–3, c(2k+1) p0–3 | c(2k) p4–7, c(2k+1) p4–7], zero point added, clamped.
        const __m256i packed = _mm256_packs_epi32(2 * k < C ? y[2 * k] : _mm256_setzero_si256(),
                                                  2 * k + 1 < C ? y[2 * k + 1] : _mm256_setzero_si256());
        v[k] = _mm256_min_epi16(_mm256_max_epi16(_mm256_adds_epi16(packed, zero), lo), hi);
    }
    // Per 128-bit half, channels 0–3 (then 4–7) × pixels 0–3 (4–7), channel-major → pixel-major dwords.
    const __m256i to_pixels = _mm256_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15,
                                               0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    const __m256i low = _mm256_shuffle_epi8(_mm256_packus_epi16(v[0], v[1]), to_pixels);
    const __m256i high = _mm256_shuffle_epi8(_mm256_packus_epi16(v[2], v[3]), to_pixels);
    // 8 bytes per pixel: pixels 0, 1 | 4, 5 and 2, 3 | 6, 7.
    const __m256i p0145 = _mm256_unpacklo_epi32(low, high), p2367 = _mm256_unpackhi_epi32(low, high);
    const __m128i pixels[4] = {_mm256_castsi256_si128(p0145), _mm256_castsi256_si128(p2367),
                               _mm256_extracti128_si256(p0145, 1), _mm256_extracti128_si256(p2367, 1)};
#pragma clang loop unroll(full)
    for (int p = 0; p < 8; p++) {
        if (p >= count) break;
        const __m128i two = pixels[p / 2];
        store_bytes(out + p * pixel_stride, p % 2 ? _mm_srli_si128(two, 8) : two, C);
    }
}

/// G groups of 8 pixels from `ox` × C channels of one output row.
INLINE AVX2 void few_tile(const digits_conv_args *a, const int32_t *buffers, int64_t buffer_len,
                          const tap_pair *pairs, int n, const int32_t *u, const few_requant *q, int ox, int count,
                          uint8_t *out_row, __m256i zero, __m256i lo, __m256i hi, const int C, const int G) {
    __m256i acc[2][few_max_channels];
#pragma clang loop unroll(full)
    for (int g = 0; g < G; g++)
#pragma clang loop unroll(full)
        for (int c = 0; c < C; c++) acc[g][c] = _mm256_set1_epi32(a->bias[2 * c]);
    for (int i = 0; i < n; i++) {
        const int32_t *row = buffers + pairs[i].buffer * buffer_len + ox + pairs[i].column;
        __m256i x[2];
#pragma clang loop unroll(full)
        for (int g = 0; g < G; g++) x[g] = _mm256_loadu_si256((const __m256i *)(row + 8 * g));
#pragma clang loop unroll(full)
        for (int c = 0; c < C; c++) {
            const __m256i w = _mm256_set1_epi32(u[i * few_max_channels + c]);
#pragma clang loop unroll(full)
            for (int g = 0; g < G; g++) acc[g][c] = _mm256_add_epi32(acc[g][c], _mm256_madd_epi16(x[g], w));
        }
    }
#pragma clang loop unroll(full)
    for (int g = 0; g < G; g++) {
        if (8 * g >= count) break;
        __m256i y[few_max_channels];
#pragma clang loop unroll(full)
        for (int c = 0; c < C; c++) y[c] = few_requantize8(acc[g][c], &q[c]);
        const int here = count - 8 * g < 8 ? count - 8 * g : 8;
        few_store8(y, out_row + (int64_t)(ox + 8 * g) * a->out_pixel_stride, a->out_pixel_stride, here, zero, lo,
                   hi, C);
    }
}

INLINE AVX2 void few_row(const digits_conv_args *a, const int32_t *buffers, int64_t buffer_len,
                         const tap_pair *pairs, int n, const int32_t *u, const few_requant *q, uint8_t *out_row,
                         const int C) {
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const int G = C <= 6 ? 2 : 1;
    for (int ox = 0; ox < a->out_w; ox += 8 * G) {
        const int count = a->out_w - ox < 8 * G ? a->out_w - ox : 8 * G;
        few_tile(a, buffers, buffer_len, pairs, n, u, q, ox, count, out_row, zero, lo, hi, C, G);
    }
}

AVX2 int digits_conv_few_channels_avx2(const digits_conv_args *a) {
    if (a->in_pixel_stride != 1 || a->stride_x != 1 || a->kernel_h < 1 || a->out_w < 1 || a->out_channels < 1 ||
        a->out_channels > few_max_channels)
        return 0;
    int width = 0;
    const int32_t *u = digits_cached_weights(a, weight_layout_few_channels, few_build, &width);
    if (u == NULL) return 0;
    const int64_t row_len = (int64_t)a->out_w - 1 + width;
    if (row_len + few_slack > few_max_row) return 0;
    tap_pair pairs[few_max_pairs];
    const int n = tap_pairs(a->kernel_h, width, pairs);
    few_requant q[few_max_channels];
    for (int c = 0; c < a->out_channels; c++) q[c] = few_requant_for(a, c);
    // The one-channel kernel's interleaved rows (interleaved_rows_avx2.h), zeros past each row.
    const int64_t buffer_len = row_len + few_slack;
    int32_t buffers[few_max_row * 4] __attribute__((aligned(32)));
    if ((a->kernel_h + 1) / 2 * buffer_len > (int64_t)(sizeof buffers / sizeof buffers[0])) return 0;
    for (int b = 0; b < (a->kernel_h + 1) / 2; b++)
        for (int64_t x = row_len; x < buffer_len; x++) buffers[b * buffer_len + x] = 0;
    for (int oy = 0; oy < a->out_h; oy++) {
        fill_interleaved_rows(a, a->input + (int64_t)oy * a->stride_y * a->in_row_stride, row_len, buffer_len,
                              buffers);
        uint8_t *out_row = a->output + (int64_t)oy * a->out_row_stride;
#define FEW_ROW(C) few_row(a, buffers, buffer_len, pairs, n, u, q, out_row, C)
        switch (a->out_channels) {
        case 1: FEW_ROW(1); break;
        case 2: FEW_ROW(2); break;
        case 3: FEW_ROW(3); break;
        case 4: FEW_ROW(4); break;
        case 5: FEW_ROW(5); break;
        case 6: FEW_ROW(6); break;
        case 7: FEW_ROW(7); break;
        default: FEW_ROW(8); break;
        }
#undef FEW_ROW
    }
    return 1;
}

#else

int digits_conv_few_channels_avx2(const digits_conv_args *args) { (void)args; return 0; }

#endif
