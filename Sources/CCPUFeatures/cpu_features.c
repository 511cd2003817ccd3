#include "cpu_features.h"
#include <string.h>

#if defined(__linux__)
#include <sys/auxv.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

int digits_cpuid(uint32_t leaf, uint32_t subleaf, digits_cpuid_registers *out) {
    memset(out, 0, sizeof(*out));
    // __get_cpuid_count checks the maximum supported leaf of the leaf's range before executing CPUID.
    return __get_cpuid_count(leaf, subleaf, &out->eax, &out->ebx, &out->ecx, &out->edx);
}

uint64_t digits_xcr0(void) {
    digits_cpuid_registers r;
    if (!digits_cpuid(1, 0, &r)) return 0;
    // XGETBV faults unless the OS enabled XSAVE (CPUID.1:ECX.OSXSAVE, bit 27).
    if (!(r.ecx & (1u << 27))) return 0;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}
#else
int digits_cpuid(uint32_t leaf, uint32_t subleaf, digits_cpuid_registers *out) {
    (void)leaf; (void)subleaf;
    memset(out, 0, sizeof(*out));
    return 0;
}
uint64_t digits_xcr0(void) { return 0; }
#endif

uint64_t digits_hwcap(void) {
#if defined(__linux__) && defined(AT_HWCAP)
    return getauxval(AT_HWCAP);
#else
    return 0;
#endif
}

uint64_t digits_hwcap2(void) {
#if defined(__linux__) && defined(AT_HWCAP2)
    return getauxval(AT_HWCAP2);
#else
    return 0;
#endif
}
