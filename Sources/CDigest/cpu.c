#include "CDigest.h"
#if defined(__x86_64__)
#include <cpuid.h>
int trawl_cpu_has_sha_ni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 29) & 1;
}
// __builtin_cpu_supports also checks that the OS saves the wide registers (XCR0).
int trawl_cpu_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}
int trawl_cpu_has_avx512(void) {
    __builtin_cpu_init();
    return (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) ? 1 : 0;
}
#else
int trawl_cpu_has_sha_ni(void) { return 0; }
int trawl_cpu_has_avx2(void) { return 0; }
int trawl_cpu_has_avx512(void) { return 0; }
#endif
