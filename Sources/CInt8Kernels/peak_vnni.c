// A calibration loop for benchmarks: independent vpdpbusd chains, nothing else, to measure the machine's int8
// multiply-accumulate peak under the same conditions as the kernels being timed.
#include "int8_kernels.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
int32_t digits_vnni_peak_loop(int64_t iterations) {
    __m512i acc[24];
    const __m512i a = _mm512_set1_epi32(0x01010101), b = _mm512_set1_epi32(0x01FF01FF);
    for (int i = 0; i < 24; i++) acc[i] = _mm512_set1_epi32(i);
    for (int64_t n = 0; n < iterations; n++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < 24; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
        // Opaque to the optimizer: every chain must really run.
        __asm__ volatile("" : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]), "+v"(acc[5]),
                         "+v"(acc[6]), "+v"(acc[7]), "+v"(acc[8]), "+v"(acc[9]), "+v"(acc[10]), "+v"(acc[11]));
        __asm__ volatile("" : "+v"(acc[12]), "+v"(acc[13]), "+v"(acc[14]), "+v"(acc[15]), "+v"(acc[16]), "+v"(acc[17]),
                         "+v"(acc[18]), "+v"(acc[19]), "+v"(acc[20]), "+v"(acc[21]), "+v"(acc[22]), "+v"(acc[23]));
    }
    __m512i sum = acc[0];
    for (int i = 1; i < 24; i++) sum = _mm512_add_epi32(sum, acc[i]);
    return _mm512_reduce_add_epi32(sum);
}

#else

int32_t digits_vnni_peak_loop(int64_t iterations) { (void)iterations; return 0; }

#endif
