// AVX2 requantization of int32 accumulators (docs/quantization.md §2), shared by the AVX2 convolution kernels.
// Private to CInt8Kernels: include only inside an `#if defined(__x86_64__) && defined(__clang__)` block.
#ifndef DIGITS_REQUANTIZE_AVX2_H
#define DIGITS_REQUANTIZE_AVX2_H
#include "int8_kernels.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define INLINE __attribute__((always_inline)) static inline

/// Per block of 16 channels: multipliers, rounding terms with the sign bit added (see `shift_right`), shifts and
/// 2^(63 − shift), 4 channels per register: channels 0–3, 4–7, 8–11, 12–15.
/// `high`: every shift ≥ 32, and then `r` is the plain rounding term and `s` holds s − 32 in the odd dwords.
typedef struct { __m256i m[4], r[4], s[4], bias[4]; int high; } requant_block2;

INLINE AVX2 requant_block2 load_requant2(const int64_t *m, const int64_t *r, const int64_t *s) {
    const __m256i sign = _mm256_set1_epi64x((long long)0x8000000000000000ULL);
    const __m256i thirtyTwo = _mm256_set1_epi64x(32);
    requant_block2 b;
    int high = 1;
    for (int i = 0; i < 4; i++) {
        const __m256i shift = _mm256_loadu_si256((const __m256i *)(s + 4 * i));
        high &= _mm256_movemask_epi8(_mm256_cmpgt_epi64(thirtyTwo, shift)) == 0;
    }
    b.high = high;
    for (int i = 0; i < 4; i++) {
        const __m256i rounding = _mm256_loadu_si256((const __m256i *)(r + 4 * i));
        const __m256i shift = _mm256_loadu_si256((const __m256i *)(s + 4 * i));
        b.m[i] = _mm256_loadu_si256((const __m256i *)(m + 4 * i));
        if (high) {
            b.r[i] = rounding;
            b.s[i] = _mm256_slli_epi64(_mm256_sub_epi64(shift, thirtyTwo), 32);
            b.bias[i] = _mm256_setzero_si256();
        } else {
            b.r[i] = _mm256_add_epi64(rounding, sign);
            b.s[i] = shift;
            b.bias[i] = _mm256_srlv_epi64(sign, shift);
        }
    }
    return b;
}

/// (acc·m + r) >> s, arithmetic, for 4 channels in the even int32 lanes of `acc`, clamped to ±1024 (invisible
/// after the final clamp, as in the portable kernel). AVX2 has no 64-bit arithmetic shift: adding 2^63 makes the
/// value non-negative as an unsigned number, so a logical shift floors it, plus 2^(63 − s), subtracted after.
INLINE AVX2 __m256i requantize4(__m256i acc, const requant_block2 *q, int i) {
    __m256i v = _mm256_add_epi64(_mm256_mul_epi32(acc, q->m[i]), q->r[i]);
    v = _mm256_sub_epi64(_mm256_srlv_epi64(v, q->s[i]), q->bias[i]);
    const __m256i top = _mm256_set1_epi64x(1024), bottom = _mm256_set1_epi64x(-1024);
    v = _mm256_blendv_epi8(v, top, _mm256_cmpgt_epi64(v, top));
    return _mm256_blendv_epi8(v, bottom, _mm256_cmpgt_epi64(bottom, v));
}

/// The same for shifts ≥ 32 (the usual case: real multipliers below 1/4): the high dword of the 64-bit sum is
/// already floor(sum / 2^32), so a 32-bit arithmetic shift by s − 32 (vpsravd, odd dwords) finishes the floor
/// division, and the result fits in int32 without clamping. The value is left in the odd dword of each lane.
INLINE AVX2 __m256i requantize4_high(__m256i acc, const requant_block2 *q, int i) {
    return _mm256_srav_epi32(_mm256_add_epi64(_mm256_mul_epi32(acc, q->m[i]), q->r[i]), q->s[i]);
}

/// 16 accumulator lanes in lane order (lane 2c: channel c, lane 2c + 1: channel c + 8) as two registers → 16 u8
/// outputs in channel order.
INLINE AVX2 __m128i requantize16_avx2(__m256i lanes0to7, __m256i lanes8to15, const requant_block2 *q,
                                      __m256i zero, __m256i lo, __m256i hi) {
    // Even lanes of lanes0to7 are channels 0–3, odd ones 8–11; of lanes8to15, channels 4–7 and 12–15. One
    // vshufps per pair of results picks their dwords (odd ones for `high`, even ones else):
    // int32 [c0 c1 c4 c5 | c2 c3 c6 c7] and [c8 c9 c12 c13 | c10 c11 c14 c15] (values fit in 11 bits).
    __m256i low, high;
    if (q->high) {
        const __m256i c0 = requantize4_high(lanes0to7, q, 0);
        const __m256i c8 = requantize4_high(_mm256_srli_epi64(lanes0to7, 32), q, 2);
        const __m256i c4 = requantize4_high(lanes8to15, q, 1);
        const __m256i c12 = requantize4_high(_mm256_srli_epi64(lanes8to15, 32), q, 3);
        low = _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(c0), _mm256_castsi256_ps(c4), 0xDD));
        high = _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(c8), _mm256_castsi256_ps(c12), 0xDD));
    } else {
        const __m256i c0 = requantize4(lanes0to7, q, 0);
        const __m256i c8 = requantize4(_mm256_srli_epi64(lanes0to7, 32), q, 2);
        const __m256i c4 = requantize4(lanes8to15, q, 1);
        const __m256i c12 = requantize4(_mm256_srli_epi64(lanes8to15, 32), q, 3);
        low = _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(c0), _mm256_castsi256_ps(c4), 0x88));
        high = _mm256_castps_si256(_mm256_shuffle_ps(_mm256_castsi256_ps(c8), _mm256_castsi256_ps(c12), 0x88));
    }
    // packs saturates int32 to int16: an interval containing [−255, 255], invisible after the final clamp.
    // int16 [c0 c1 c4 c5 c8 c9 c12 c13 | c2 c3 c6 c7 c10 c11 c14 c15]
    __m256i v = _mm256_packs_epi32(low, high);
    v = _mm256_min_epi16(_mm256_max_epi16(_mm256_adds_epi16(v, zero), lo), hi);
    // Per half: the 8 bytes above, twice; quarters 0 and 2 → c0 c1 c4 c5 c8 c9 c12 c13 c2 c3 c6 c7 c10 c11 c14 c15.
    const __m128i mixed = _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packus_epi16(v, v), 0x08));
    return _mm_shuffle_epi8(mixed, _mm_setr_epi8(0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15));
}

/// Stores the first n (1–16) bytes of v.
INLINE AVX2 void store_bytes(uint8_t *out, __m128i v, int n) {
    if (n == 16) { _mm_storeu_si128((__m128i *)out, v); return; }
    // Pieces of 8, 4, 2, 1 bytes (a variable-length memcpy would be a library call per pixel).
    if (n & 8) { _mm_storel_epi64((__m128i *)out, v); out += 8; v = _mm_srli_si128(v, 8); }
    if (n & 4) { const int32_t x = _mm_cvtsi128_si32(v); __builtin_memcpy(out, &x, 4); out += 4; v = _mm_srli_si128(v, 4); }
    const int32_t rest = _mm_cvtsi128_si32(v);
    if (n & 2) { const int16_t x = (int16_t)rest; __builtin_memcpy(out, &x, 2); out += 2; }
    if (n & 1) *out = (uint8_t)(n & 2 ? rest >> 16 : rest);
}

/// The accumulators of P pixels × block `ob` of 16 channels, starting at the block's bias (lane order).
INLINE AVX2 void init_block_accumulators(const digits_conv_args *a, int ob, __m256i acc[][2], const int P) {
    const __m256i bias0 = _mm256_loadu_si256((const __m256i *)(a->bias + ob * 16));
    const __m256i bias1 = _mm256_loadu_si256((const __m256i *)(a->bias + ob * 16 + 8));
#pragma clang loop unroll(full)
    for (int p = 0; p < P; p++) {
        acc[p][0] = bias0;
        acc[p][1] = bias1;
    }
}

/// `TILE(P)` with P a compile-time constant 1…6 equal to `width` (6 for anything larger): the register tiles
/// of the AVX2 kernels are unrolled per width.
#define FOR_TILE_WIDTH_UP_TO_6(width, TILE)                                                              \
    switch (width) {                                                                                  \
    case 1: TILE(1); break;                                                                           \
    case 2: TILE(2); break;                                                                           \
    case 3: TILE(3); break;                                                                           \
    case 4: TILE(4); break;                                                                           \
    case 5: TILE(5); break;                                                                           \
    default: TILE(6); break;                                                                          \
    }

/// P pixels (from `ox`) × one block `ob` of 16 channels, accumulators in lane order (acc[p][0]: lanes 0–7,
/// acc[p][1]: lanes 8–15), requantized and stored into the output row — only the block's channels that exist.
INLINE AVX2 void store_block_pixels(const digits_conv_args *a, uint8_t *out_row, int ox, int ob,
                                    const requant_block2 *q, __m256i acc[][2], const int P) {
    const int n = a->out_channels - ob * 16 >= 16 ? 16 : a->out_channels - ob * 16;
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
#pragma clang loop unroll(full)
    for (int p = 0; p < P; p++)
        store_bytes(out_row + (int64_t)(ox + p) * a->out_pixel_stride + ob * 16,
                    requantize16_avx2(acc[p][0], acc[p][1], q, zero, lo, hi), n);
}

#endif
