// Global average pool in plain C, compiled for the baseline CPU (the compiler vectorizes the channel loop with
// the instructions every CPU of the target has), so every kernel path may call it. Same integers as the
// portable Swift loop it replaces (docs/quantization.md: sum − count·zero, one 64-bit rounding shift).
#include "int8_kernels.h"

/// Sums in T (16-bit lanes vectorize twice as wide; they suffice up to 257 positions of 255).
#define SUM_ALL(T)                                                                                    \
    do {                                                                                              \
        T partial[DIGITS_GLOBAL_POOL_MAX_CHANNELS];                                                   \
        for (int c = 0; c < channels; c++) partial[c] = 0;                                            \
        for (int y = 0; y < a->height; y++) {                                                         \
            const uint8_t *row = a->input + (int64_t)y * a->row_stride;                               \
            for (int x = 0; x < a->width; x++) {                                                      \
                const uint8_t *p = row + (int64_t)x * channels;                                       \
                for (int c = 0; c < channels; c++) partial[c] += p[c];                                \
            }                                                                                         \
        }                                                                                             \
        for (int c = 0; c < channels; c++) sums[c] = partial[c];                                      \
    } while (0)

void digits_global_average_pool(const digits_global_pool_args *a) {
    uint32_t sums[DIGITS_GLOBAL_POOL_MAX_CHANNELS];
    const int channels = a->channels;
    if (a->height * a->width <= 257) SUM_ALL(uint16_t); else SUM_ALL(uint32_t);
    const int64_t offset = (int64_t)a->height * a->width * a->zero;
    const int64_t rounding = (int64_t)1 << (a->shift - 1);
    for (int c = 0; c < channels; c++) {
        int64_t v = (((int64_t)sums[c] - offset) * a->multiplier + rounding) >> a->shift;
        v = v < -1024 ? -1024 : v > 1024 ? 1024 : v;
        int32_t q = (int32_t)v + a->out_zero;
        q = q < a->out_min ? a->out_min : q > a->out_max ? a->out_max : q;
        a->output[c] = (uint8_t)q;
    }
}
