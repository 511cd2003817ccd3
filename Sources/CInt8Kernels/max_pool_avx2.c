// 2×2, stride-2 max pool without padding with AVX2/SSE: per output row, the vertical max of the two input rows
// (32 bytes per vpmaxub), then per output pixel the max of its two neighbouring input pixels, 16 channels per
// step, into a row buffer with slack; one copy of the exact row length keeps every write inside the tensor.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

enum { row_capacity = 4096 };

__attribute__((target("avx2,fma")))
int digits_max_pool_2x2_avx2(const digits_pool_args *a) {
    const int channels = a->channels;
    const int in_bytes = 2 * a->out_w * channels, out_bytes = a->out_w * channels;
    if (in_bytes + 48 > row_capacity) return 0;
    uint8_t vertical[row_capacity], row[row_capacity];
    for (int oy = 0; oy < a->out_h; oy++) {
        const uint8_t *r0 = a->input + (int64_t)(2 * oy) * a->in_row_stride;
        const uint8_t *r1 = r0 + a->in_row_stride;
        int i = 0;
        for (; i + 32 <= in_bytes; i += 32)
            _mm256_storeu_si256((__m256i *)(vertical + i), _mm256_max_epu8(_mm256_loadu_si256((const __m256i *)(r0 + i)),
                                                                           _mm256_loadu_si256((const __m256i *)(r1 + i))));
        for (; i < in_bytes; i++) vertical[i] = r0[i] > r1[i] ? r0[i] : r1[i];
        for (int ox = 0; ox < a->out_w; ox++) {
            const uint8_t *p = vertical + 2 * ox * channels;
            for (int c = 0; c < channels; c += 16)
                _mm_storeu_si128((__m128i *)(row + ox * channels + c),
                                 _mm_max_epu8(_mm_loadu_si128((const __m128i *)(p + c)),
                                              _mm_loadu_si128((const __m128i *)(p + channels + c))));
        }
        __builtin_memcpy(a->output + (int64_t)oy * a->out_row_stride, row, (size_t)out_bytes);
    }
    return 1;
}

#else

int digits_max_pool_2x2_avx2(const digits_pool_args *args) { (void)args; return 0; }

#endif
