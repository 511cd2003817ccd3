// Residual add of two int8 tensors with AVX-512 (docs/quantization.md §4): per element
// T = (u0 − zero0)·M0 + (u1 − zero1)·M1 in 64 bits, one rounding shift, + zero, clamp. 16 elements per step.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

AVX512 static inline __m128i add16(__m128i x0, __m128i x1, const digits_add2_args *a,
                                   __m512i z0, __m512i z1, __m512i m0, __m512i m1, __m512i round, __m512i shift,
                                   __m256i zero, __m256i lo, __m256i hi) {
    __m512i d0 = _mm512_sub_epi32(_mm512_cvtepu8_epi32(x0), z0);
    __m512i d1 = _mm512_sub_epi32(_mm512_cvtepu8_epi32(x1), z1);
    // Even 32-bit lanes via vpmuldq directly, odd lanes shifted down: elements 0,2,4… and 1,3,5….
    __m512i even = _mm512_add_epi64(_mm512_add_epi64(_mm512_mul_epi32(d0, m0), _mm512_mul_epi32(d1, m1)), round);
    __m512i odd = _mm512_add_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(d0, 32), m0),
                                                    _mm512_mul_epi32(_mm512_srli_epi64(d1, 32), m1)), round);
    even = _mm512_srav_epi64(even, shift);
    odd = _mm512_srav_epi64(odd, shift);
    // Saturate to int16 and interleave even/odd back into element order.
    __m128i e = _mm512_cvtsepi64_epi16(even), o = _mm512_cvtsepi64_epi16(odd);
    __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_unpacklo_epi16(e, o)), _mm_unpackhi_epi16(e, o), 1);
    v = _mm256_min_epi16(_mm256_max_epi16(_mm256_adds_epi16(v, zero), lo), hi);
    (void)a;
    return _mm256_cvtepi16_epi8(v);
}

AVX512 void digits_add2_vnni(const digits_add2_args *a) {
    const __m512i z0 = _mm512_set1_epi32(a->zero0), z1 = _mm512_set1_epi32(a->zero1);
    const __m512i m0 = _mm512_set1_epi64(a->multiplier0), m1 = _mm512_set1_epi64(a->multiplier1);
    const __m512i round = _mm512_set1_epi64((int64_t)1 << (a->shift - 1)), shift = _mm512_set1_epi64(a->shift);
    const __m256i zero = _mm256_set1_epi16((short)a->out_zero);
    const __m256i lo = _mm256_set1_epi16((short)a->out_min), hi = _mm256_set1_epi16((short)a->out_max);
    for (int32_t y = 0; y < a->rows; y++) {
        const uint8_t *p0 = a->input0 + (int64_t)y * a->row_stride0;
        const uint8_t *p1 = a->input1 + (int64_t)y * a->row_stride1;
        uint8_t *out = a->output + (int64_t)y * a->out_row_stride;
        for (int32_t i = 0; i < a->row_bytes; i += 16) {
            const int32_t n = a->row_bytes - i < 16 ? a->row_bytes - i : 16;
            const __mmask16 mask = n == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
            __m128i r = add16(_mm_maskz_loadu_epi8(mask, p0 + i), _mm_maskz_loadu_epi8(mask, p1 + i), a,
                              z0, z1, m0, m1, round, shift, zero, lo, hi);
            _mm_mask_storeu_epi8(out + i, mask, r);
        }
    }
}

#else

void digits_add2_vnni(const digits_add2_args *args) { (void)args; }

#endif
