// AVX2 microkernels for CPUs without AVX-512 VNNI: the same packed weights, the same integers. Only these
// functions carry the AVX2 target attribute; KernelPath checks CPUID before any of them runs.
//
// Exactness: vpmaddubsw (u8 × s8, pairs summed to int16) saturates — 255·127·2 > 32767 — so it is not used.
// Inputs are zero-extended and weights sign-extended to int16 and multiplied with vpmaddwd (int16 pairs summed to
// int32), which is exact: |255 · 128 · 2| < 2^31. Sums wrap in int32 exactly as vpdpbusd's do.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include "requantize_avx2.h"

int digits_avx2_compiled(void) { return 1; }

/// 4 input bytes → [u0 u1 u2 u3] as int16, repeated in every 64-bit lane (vpbroadcastd + vpshufb).
INLINE AVX2 __m256i widen_input(const uint8_t *p) {
    int32_t x;
    __builtin_memcpy(&x, p, 4);
    const __m256i spread = _mm256_setr_epi8(0, -1, 1, -1, 2, -1, 3, -1, 0, -1, 1, -1, 2, -1, 3, -1,
                                            0, -1, 1, -1, 2, -1, 3, -1, 0, -1, 1, -1, 2, -1, 3, -1);
    return _mm256_shuffle_epi8(_mm256_set1_epi32(x), spread);
}

/// acc[k] holds lanes 4k…4k+3 as pairs of partial sums (taps 0–1, taps 2–3); → lanes 0–7 and 8–15.
INLINE AVX2 void reduce_lanes(const __m256i acc[4], __m256i *lanes0to7, __m256i *lanes8to15) {
    // hadd: [L0 L1 L4 L5 | L2 L3 L6 L7] → permute 64-bit quarters (0, 2, 1, 3) → L0…L7.
    *lanes0to7 = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[0], acc[1]), 0xD8);
    *lanes8to15 = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[2], acc[3]), 0xD8);
}

/// P pixels × one block of 16 output channels. Registers: 4P accumulators + 4 widened weights + 1 input.
INLINE AVX2 void conv_tile_avx2(const digits_conv_args *a, const uint8_t *base, int64_t px, const int8_t *w,
                                int ob, uint8_t *out, const int P) {
    __m256i acc[2][4];
    const __m256i zeroes = _mm256_setzero_si256();
#pragma clang loop unroll(full)
    for (int p = 0; p < P; p++)
        for (int k = 0; k < 4; k++) acc[p][k] = zeroes;
    const int groups = a->groups;
    for (int ky = 0; ky < a->kernel_h; ky++) {
        const uint8_t *row = base + ky * a->in_row_stride;
        const int8_t *wr = w + (int64_t)ky * groups * 64;
        for (int g = 0; g < groups; g++) {
            __m256i wv[4];
#pragma clang loop unroll(full)
            for (int k = 0; k < 4; k++)
                wv[k] = _mm256_cvtepi8_epi16(_mm_load_si128((const __m128i *)(wr + g * 64 + 16 * k)));
#pragma clang loop unroll(full)
            for (int p = 0; p < P; p++) {
                const __m256i xv = widen_input(row + p * px + g * 4);
#pragma clang loop unroll(full)
                for (int k = 0; k < 4; k++) acc[p][k] = _mm256_add_epi32(acc[p][k], _mm256_madd_epi16(xv, wv[k]));
            }
        }
    }
    const int oc = ob * 16;
    const int remaining = a->out_channels - oc;
    const int n = remaining >= 16 ? 16 : remaining;
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const requant_block2 rq = load_requant2(a->multiplier + oc, a->rounding + oc, a->shift + oc);
    const __m256i bias0 = _mm256_loadu_si256((const __m256i *)(a->bias + oc));
    const __m256i bias1 = _mm256_loadu_si256((const __m256i *)(a->bias + oc + 8));
#pragma clang loop unroll(full)
    for (int p = 0; p < P; p++) {
        __m256i l0, l1;
        reduce_lanes(acc[p], &l0, &l1);
        const __m128i q = requantize16_avx2(_mm256_add_epi32(l0, bias0), _mm256_add_epi32(l1, bias1), &rq, zero, lo, hi);
        store_bytes(out + p * a->out_pixel_stride + oc, q, n);
    }
}

/// Paired weights (≤ 8 channels; channel c in lanes 2c and 2c + 1) and a 1-byte pixel distance: the odd lanes
/// compute pixel x + 4 while the even lanes compute pixel x, both fed by one 8-byte broadcast (as in the VNNI
/// kernel). Pairs (x + q, x + q + 4) for q in [q0, q0 + 2).
INLINE AVX2 void conv_pair_tile_avx2(const digits_conv_args *a, const uint8_t *base, uint8_t *out, int q0) {
    __m256i acc[2][4];
    const __m256i zeroes = _mm256_setzero_si256();
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < 4; k++) acc[p][k] = zeroes;
    // Bytes 0–3 (pixel x) widened into the even 64-bit chunks, bytes 4–7 (pixel x + 4) into the odd ones.
    const __m256i spread = _mm256_setr_epi8(0, -1, 1, -1, 2, -1, 3, -1, 4, -1, 5, -1, 6, -1, 7, -1,
                                            0, -1, 1, -1, 2, -1, 3, -1, 4, -1, 5, -1, 6, -1, 7, -1);
    const int groups = a->groups;
    for (int ky = 0; ky < a->kernel_h; ky++) {
        const uint8_t *row = base + ky * a->in_row_stride;
        const int8_t *wr = a->weights + (int64_t)ky * groups * 64;
        for (int g = 0; g < groups; g++) {
            __m256i wv[4];
            for (int k = 0; k < 4; k++)
                wv[k] = _mm256_cvtepi8_epi16(_mm_load_si128((const __m128i *)(wr + g * 64 + 16 * k)));
            for (int p = 0; p < 2; p++) {
                int64_t x;
                __builtin_memcpy(&x, row + q0 + p + g * 4, 8);
                const __m256i xv = _mm256_shuffle_epi8(_mm256_set1_epi64x(x), spread);
                for (int k = 0; k < 4; k++) acc[p][k] = _mm256_add_epi32(acc[p][k], _mm256_madd_epi16(xv, wv[k]));
            }
        }
    }
    const int n = a->out_channels;
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    const requant_block2 rq = load_requant2(a->multiplier, a->rounding, a->shift);
    const __m256i bias0 = _mm256_loadu_si256((const __m256i *)a->bias);
    const __m256i bias1 = _mm256_loadu_si256((const __m256i *)(a->bias + 8));
    for (int p = 0; p < 2; p++) {
        __m256i l0, l1;
        reduce_lanes(acc[p], &l0, &l1);
        const __m128i q = requantize16_avx2(_mm256_add_epi32(l0, bias0), _mm256_add_epi32(l1, bias1), &rq, zero, lo, hi);
        store_bytes(out + (q0 + p) * a->out_pixel_stride, q, n);
        store_bytes(out + (q0 + p + 4) * a->out_pixel_stride, _mm_srli_si128(q, 8), n);
    }
}

AVX2 void digits_conv_avx2(const digits_conv_args *a) {
    // The specialized kernels decline, doing nothing, for layers they do not cover.
    if (digits_conv_winograd_avx2(a) || digits_conv_few_channels_avx2(a) || digits_conv_single_input_avx2(a) ||
        digits_conv_tap_pairs_avx2(a))
        return;
    const int blocks = (a->out_channels + 15) / 16;
    const int64_t px = (int64_t)a->stride_x * a->in_pixel_stride;
    const int64_t blockStride = (int64_t)a->kernel_h * a->groups * 64;
    const int paired = a->pairs && px == 1;
    for (int oy = 0; oy < a->out_h; oy++) {
        const uint8_t *rowBase = a->input + (int64_t)oy * a->stride_y * a->in_row_stride;
        uint8_t *outRow = a->output + (int64_t)oy * a->out_row_stride;
        for (int ob = 0; ob < blocks; ob++) {
            const int8_t *w = a->weights + (int64_t)ob * blockStride;
            int ox = 0;
            if (paired)
                for (; ox + 8 <= a->out_w; ox += 8) {
                    conv_pair_tile_avx2(a, rowBase + ox, outRow + (int64_t)ox * a->out_pixel_stride, 0);
                    conv_pair_tile_avx2(a, rowBase + ox, outRow + (int64_t)ox * a->out_pixel_stride, 2);
                }
            for (; ox + 2 <= a->out_w; ox += 2)
                conv_tile_avx2(a, rowBase + ox * px, px, w, ob, outRow + (int64_t)ox * a->out_pixel_stride, 2);
            if (ox < a->out_w)
                conv_tile_avx2(a, rowBase + ox * px, px, w, ob, outRow + (int64_t)ox * a->out_pixel_stride, 1);
        }
    }
}

AVX2 int digits_conv_pool_avx2(const digits_conv_args *a) {
    if (a->pairs || a->out_h % 2 || a->out_w % 2 || digits_winograd_avx2_takes(a)) return 0;
    return digits_conv_pool_single_input_avx2(a) || digits_conv_pool_tap_pairs_avx2(a);
}

AVX2 void digits_dense_avx2(const digits_dense_args *d) {
    // A dense layer is one output pixel whose single kernel row is the whole input.
    const digits_conv_args a = {
        .input = d->input, .weights = d->weights, .bias = d->bias, .multiplier = d->multiplier,
        .rounding = d->rounding, .shift = d->shift, .output = d->output, .in_row_stride = 0, .in_pixel_stride = 0,
        .out_row_stride = 0, .out_pixel_stride = 0, .stride_y = 1, .stride_x = 1, .kernel_h = 1, .groups = d->groups,
        .out_h = 1, .out_w = 1, .out_channels = d->units, .out_zero = d->out_zero, .out_min = d->out_min,
        .out_max = d->out_max };
    const int blocks = (d->units + 15) / 16;
    for (int ob = 0; ob < blocks; ob++)
        conv_tile_avx2(&a, d->input, 0, d->weights + (int64_t)ob * d->groups * 64, ob, d->output, 1);
}

#else

int digits_avx2_compiled(void) { return 0; }
// Never called: KernelPath.avx2 is unsupported on CPUs other than x86-64.
void digits_conv_avx2(const digits_conv_args *args) { (void)args; }
void digits_dense_avx2(const digits_dense_args *args) { (void)args; }
int digits_conv_pool_avx2(const digits_conv_args *args) { (void)args; return 0; }

#endif
