// 2×2, stride-2 max pool without padding (the usual CNN pool) with AVX-512BW: 16 channels per vpmaxub, masked
// stores for the last channels, so no pixel ever writes outside itself.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
void digits_max_pool_2x2_vnni(const digits_pool_args *a) {
    const int channels = a->channels;
    for (int oy = 0; oy < a->out_h; oy++) {
        const uint8_t *r0 = a->input + (int64_t)(2 * oy) * a->in_row_stride;
        const uint8_t *r1 = r0 + a->in_row_stride;
        uint8_t *out = a->output + (int64_t)oy * a->out_row_stride;
        for (int ox = 0; ox < a->out_w; ox++) {
            const int64_t p = (int64_t)(2 * ox) * channels;
            for (int c = 0; c < channels; c += 16) {
                const int n = channels - c < 16 ? channels - c : 16;
                const __mmask16 mask = n == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
                const __m128i top = _mm_max_epu8(_mm_maskz_loadu_epi8(mask, r0 + p + c),
                                                 _mm_maskz_loadu_epi8(mask, r0 + p + channels + c));
                const __m128i bottom = _mm_max_epu8(_mm_maskz_loadu_epi8(mask, r1 + p + c),
                                                    _mm_maskz_loadu_epi8(mask, r1 + p + channels + c));
                _mm_mask_storeu_epi8(out + (int64_t)ox * channels + c, mask, _mm_max_epu8(top, bottom));
            }
        }
    }
}

#else

void digits_max_pool_2x2_vnni(const digits_pool_args *args) { (void)args; }

#endif
