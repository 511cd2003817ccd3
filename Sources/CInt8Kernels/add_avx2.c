// Residual add of two int8 tensors with AVX2 (docs/quantization.md §4), the same integers as add_vnni.c:
// T = (u0 − zero0)·M0 + (u1 − zero1)·M1 in 64 bits, one rounding shift, + zero, clamp. 16 elements per step.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

typedef struct { __m256i z0, z1, m0, m1, round, shift, bias, top, bottom; __m256i zero, lo, hi; } add_constants;

/// 4 int64 sums → arithmetic shift (logical shift of value + 2^63, minus 2^(63 − s); AVX2 has no vpsraq), then
/// clamped to ±1024 (invisible after the final clamp).
static inline __attribute__((always_inline)) AVX2 __m256i shift_clamp(__m256i v, const add_constants *k) {
    v = _mm256_sub_epi64(_mm256_srlv_epi64(_mm256_add_epi64(v, k->round), k->shift), k->bias);
    v = _mm256_blendv_epi8(v, k->top, _mm256_cmpgt_epi64(v, k->top));
    return _mm256_blendv_epi8(v, k->bottom, _mm256_cmpgt_epi64(k->bottom, v));
}

/// 8 elements → int32 results in element order.
static inline __attribute__((always_inline)) AVX2 __m256i add8(__m128i x0, __m128i x1, const add_constants *k) {
    const __m256i d0 = _mm256_sub_epi32(_mm256_cvtepu8_epi32(x0), k->z0);
    const __m256i d1 = _mm256_sub_epi32(_mm256_cvtepu8_epi32(x1), k->z1);
    const __m256i even = shift_clamp(_mm256_add_epi64(_mm256_mul_epi32(d0, k->m0), _mm256_mul_epi32(d1, k->m1)), k);
    const __m256i odd = shift_clamp(_mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(d0, 32), k->m0),
                                                     _mm256_mul_epi32(_mm256_srli_epi64(d1, 32), k->m1)), k);
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

/// 16 elements (bytes) of each input → 16 output bytes.
static inline __attribute__((always_inline)) AVX2 __m128i add16(__m128i x0, __m128i x1, const add_constants *k) {
    const __m256i first = add8(x0, x1, k), second = add8(_mm_srli_si128(x0, 8), _mm_srli_si128(x1, 8), k);
    __m256i v = _mm256_permute4x64_epi64(_mm256_packs_epi32(first, second), 0xD8);
    v = _mm256_min_epi16(_mm256_max_epi16(_mm256_adds_epi16(v, k->zero), k->lo), k->hi);
    return _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packus_epi16(v, v), 0xD8));
}

/// The same sum in 32-bit lanes. With M = Mh·2^16 + Ml (Mh ≤ 32767, −2^15 ≤ Ml < 2^15) and d = u − zero (9 bits),
/// vpmaddwd on interleaved (d0, d1) pairs gives H = d0·Mh0 + d1·Mh1 and L = d0·Ml0 + d1·Ml1 exactly (< 2^24), and
/// T = H·2^16 + L. For 17 ≤ s ≤ 46: T + 2^(s−1) = (H + 2^(s−17) + (L >> 16))·2^16 + (L mod 2^16), so
/// (T + 2^(s−1)) >> s = (H + 2^(s−17) + (L >> 16)) >> (s − 16), all in int32.
typedef struct { __m256i z0, z1, mh, ml, round, zero, lo, hi; __m128i shift; } split_constants;

static inline __attribute__((always_inline)) AVX2 __m256i split8(__m256i pairs, const split_constants *k) {
    const __m256i h = _mm256_madd_epi16(pairs, k->mh), l = _mm256_madd_epi16(pairs, k->ml);
    return _mm256_sra_epi32(_mm256_add_epi32(_mm256_add_epi32(h, k->round), _mm256_srai_epi32(l, 16)), k->shift);
}

static inline __attribute__((always_inline)) AVX2 __m128i add16_split(__m128i x0, __m128i x1, const split_constants *k) {
    const __m256i d0 = _mm256_sub_epi16(_mm256_cvtepu8_epi16(x0), k->z0);
    const __m256i d1 = _mm256_sub_epi16(_mm256_cvtepu8_epi16(x1), k->z1);
    // unpacklo: elements 0–3 | 8–11, unpackhi: 4–7 | 12–15; packs puts them back in order per 128-bit half.
    const __m256i first = split8(_mm256_unpacklo_epi16(d0, d1), k), second = split8(_mm256_unpackhi_epi16(d0, d1), k);
    __m256i v = _mm256_packs_epi32(first, second);
    v = _mm256_min_epi16(_mm256_max_epi16(_mm256_adds_epi16(v, k->zero), k->lo), k->hi);
    return _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packus_epi16(v, v), 0xD8));
}

/// Whether the 32-bit split applies: both multipliers in [0, 2^31 − 2^15), shift in 17…46.
static int split_applies(const digits_add2_args *a) {
    const int64_t limit = ((int64_t)1 << 31) - ((int64_t)1 << 15);
    return a->multiplier0 >= 0 && a->multiplier0 < limit && a->multiplier1 >= 0 && a->multiplier1 < limit
        && a->shift >= 17 && a->shift <= 46;
}

static AVX2 void add2_split(const digits_add2_args *a) {
    const int32_t mh0 = (int32_t)((a->multiplier0 + (1 << 15)) >> 16), mh1 = (int32_t)((a->multiplier1 + (1 << 15)) >> 16);
    const int32_t ml0 = (int32_t)(a->multiplier0 - ((int64_t)mh0 << 16));
    const int32_t ml1 = (int32_t)(a->multiplier1 - ((int64_t)mh1 << 16));
    const split_constants k = {
        .z0 = _mm256_set1_epi16((short)a->zero0), .z1 = _mm256_set1_epi16((short)a->zero1),
        .mh = _mm256_set1_epi32((int32_t)((uint32_t)mh1 << 16 | (uint16_t)mh0)),
        .ml = _mm256_set1_epi32((int32_t)((uint32_t)ml1 << 16 | (uint16_t)ml0)),
        .round = _mm256_set1_epi32((int32_t)1 << (a->shift - 17)),
        .zero = _mm256_set1_epi16((short)a->out_zero), .lo = _mm256_set1_epi16((short)a->out_min),
        .hi = _mm256_set1_epi16((short)a->out_max), .shift = _mm_cvtsi32_si128((int)(a->shift - 16)) };
    for (int32_t y = 0; y < a->rows; y++) {
        const uint8_t *p0 = a->input0 + (int64_t)y * a->row_stride0;
        const uint8_t *p1 = a->input1 + (int64_t)y * a->row_stride1;
        uint8_t *out = a->output + (int64_t)y * a->out_row_stride;
        int32_t i = 0;
        for (; i + 16 <= a->row_bytes; i += 16)
            _mm_storeu_si128((__m128i *)(out + i), add16_split(_mm_loadu_si128((const __m128i *)(p0 + i)),
                                                               _mm_loadu_si128((const __m128i *)(p1 + i)), &k));
        if (i < a->row_bytes) {
            const int32_t n = a->row_bytes - i;
            uint8_t b0[16] = {0}, b1[16] = {0}, r[16];
            for (int32_t j = 0; j < n; j++) { b0[j] = p0[i + j]; b1[j] = p1[i + j]; }
            _mm_storeu_si128((__m128i *)r, add16_split(_mm_loadu_si128((const __m128i *)b0),
                                                       _mm_loadu_si128((const __m128i *)b1), &k));
            for (int32_t j = 0; j < n; j++) out[i + j] = r[j];
        }
    }
}

AVX2 void digits_add2_avx2(const digits_add2_args *a) {
    if (split_applies(a)) { add2_split(a); return; }
    const __m256i sign = _mm256_set1_epi64x((long long)0x8000000000000000ULL);
    const __m256i shift = _mm256_set1_epi64x(a->shift);
    const add_constants k = {
        .z0 = _mm256_set1_epi32(a->zero0), .z1 = _mm256_set1_epi32(a->zero1),
        .m0 = _mm256_set1_epi64x(a->multiplier0), .m1 = _mm256_set1_epi64x(a->multiplier1),
        .round = _mm256_add_epi64(_mm256_set1_epi64x((int64_t)1 << (a->shift - 1)), sign), .shift = shift,
        .bias = _mm256_srlv_epi64(sign, shift), .top = _mm256_set1_epi64x(1024), .bottom = _mm256_set1_epi64x(-1024),
        .zero = _mm256_set1_epi16((short)a->out_zero), .lo = _mm256_set1_epi16((short)a->out_min),
        .hi = _mm256_set1_epi16((short)a->out_max) };
    for (int32_t y = 0; y < a->rows; y++) {
        const uint8_t *p0 = a->input0 + (int64_t)y * a->row_stride0;
        const uint8_t *p1 = a->input1 + (int64_t)y * a->row_stride1;
        uint8_t *out = a->output + (int64_t)y * a->out_row_stride;
        int32_t i = 0;
        for (; i + 16 <= a->row_bytes; i += 16)
            _mm_storeu_si128((__m128i *)(out + i), add16(_mm_loadu_si128((const __m128i *)(p0 + i)),
                                                         _mm_loadu_si128((const __m128i *)(p1 + i)), &k));
        if (i < a->row_bytes) {
            // The row's last bytes through buffers: nothing outside the row is read or written.
            const int32_t n = a->row_bytes - i;
            uint8_t b0[16] = {0}, b1[16] = {0}, r[16];
            for (int32_t j = 0; j < n; j++) { b0[j] = p0[i + j]; b1[j] = p1[i + j]; }
            _mm_storeu_si128((__m128i *)r, add16(_mm_loadu_si128((const __m128i *)b0), _mm_loadu_si128((const __m128i *)b1), &k));
            for (int32_t j = 0; j < n; j++) out[i + j] = r[j];
        }
    }
}

#else

void digits_add2_avx2(const digits_add2_args *args) { (void)args; }

#endif
