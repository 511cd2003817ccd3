// The AVX2 path's calibration loop: independent vpmaddwd + vpaddd chains (the pair every AVX2 convolution's inner
// loop is made of, 16 int16 multiply-accumulates per vpmaddwd), nothing else.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

__attribute__((target("avx2")))
int32_t digits_avx2_peak_loop(int64_t iterations) {
    enum { chains = 7 };
    __m256i acc[chains], x[chains];
    const __m256i w = _mm256_set1_epi16(3);
    for (int i = 0; i < chains; i++) {
        acc[i] = _mm256_set1_epi32(i);
        x[i] = _mm256_set1_epi16((short)(i + 1));
    }
    for (int64_t n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < chains; i++) acc[i] = _mm256_add_epi32(acc[i], _mm256_madd_epi16(x[i], w));
        // Opaque to the optimizer: the products cannot be hoisted out of the loop or shared between chains.
        __asm__ volatile("" : "+x"(x[0]), "+x"(x[1]), "+x"(x[2]), "+x"(x[3]), "+x"(x[4]), "+x"(x[5]), "+x"(x[6]));
    }
    __m256i sum = acc[0];
    for (int i = 1; i < chains; i++) sum = _mm256_add_epi32(sum, acc[i]);
    const __m128i half = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    return _mm_cvtsi128_si32(half) + _mm_extract_epi32(half, 1) + _mm_extract_epi32(half, 2) + _mm_extract_epi32(half, 3);
}

#else

int32_t digits_avx2_peak_loop(int64_t iterations) { (void)iterations; return 0; }

#endif
