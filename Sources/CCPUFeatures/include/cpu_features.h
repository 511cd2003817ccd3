#ifndef DIGITS_CPU_FEATURES_H
#define DIGITS_CPU_FEATURES_H
#include <stdint.h>

/// Registers returned by the x86 CPUID instruction.
typedef struct {
    uint32_t eax, ebx, ecx, edx;
} digits_cpuid_registers;

/// Runs CPUID(leaf, subleaf). Returns 0 (and zeroed registers) when the leaf is above the CPU's maximum
/// or the machine is not x86.
int digits_cpuid(uint32_t leaf, uint32_t subleaf, digits_cpuid_registers *out);

/// XCR0 (which register states the OS saves), or 0 when XGETBV is unavailable (no OSXSAVE, or not x86).
uint64_t digits_xcr0(void);

/// Linux AT_HWCAP / AT_HWCAP2 bits (arm64 feature flags); 0 elsewhere.
uint64_t digits_hwcap(void);
uint64_t digits_hwcap2(void);

#endif
