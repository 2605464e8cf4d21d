#include "CDigest.h"
#if defined(__x86_64__)
#include <cpuid.h>
int trawl_cpu_has_sha_ni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 29) & 1;
}
#else
int trawl_cpu_has_sha_ni(void) { return 0; }
#endif
