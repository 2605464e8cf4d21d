#define _GNU_SOURCE
#include "CShims.h"
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/resource.h>

int trawl_set_thread_name(const char *name) {
    char buf[16];
    strncpy(buf, name, 15);
    buf[15] = 0;
    return pthread_setname_np(pthread_self(), buf);
}

pid_t trawl_gettid(void) { return (pid_t)syscall(SYS_gettid); }

long trawl_thread_voluntary_switches(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
    return usage.ru_nvcsw;
}

#if defined(__x86_64__)
#include <immintrin.h>

/* Substring search with AVX2, 32 candidate positions per step: a position is a candidate
 * when the needle's first and last bytes both match there (one compare each, ANDed), and
 * candidates are confirmed with memcmp. On source text this pair rarely matches by
 * chance, so the loop runs near memory speed: the 1 GiB benchmark file took 52% of a
 * `grep PM_RESUME` run in glibc's two-way memmem. */
__attribute__((target("avx2")))
static const void *memmem_avx2(const unsigned char *h, size_t hl, const unsigned char *n, size_t nl) {
    const __m256i first = _mm256_set1_epi8((char)n[0]);
    const __m256i last = _mm256_set1_epi8((char)n[nl - 1]);
    size_t i = 0;
    /* Reads h[i .. i+31] and h[i+nl-1 .. i+nl+30]: in bounds while i + nl + 31 <= hl. */
    for (; i + nl + 31 <= hl; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(h + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(h + i + nl - 1));
        unsigned mask = (unsigned)_mm256_movemask_epi8(
            _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(h + i + bit + 1, n + 1, nl - 2) == 0) return h + i + bit;
            mask &= mask - 1;
        }
    }
    if (i >= hl) return NULL;
    const void *rest = memmem(h + i, hl - i, n, nl);
    return rest;
}

#endif

const void *trawl_memmem(const void *h, size_t hl, const void *n, size_t nl) {
#if defined(__x86_64__)
    if (nl >= 2 && hl >= nl + 32) {
        /* __builtin_cpu_supports reads flags libgcc set at start-up: no race, no cost. */
        if (__builtin_cpu_supports("avx2")) return memmem_avx2((const unsigned char *)h, hl, (const unsigned char *)n, nl);
    }
#endif
    return memmem(h, hl, n, nl);
}

/* The portable path alone, so tests can prove both give the same answers. */
const void *trawl_memmem_portable(const void *h, size_t hl, const void *n, size_t nl) { return memmem(h, hl, n, nl); }

const void *trawl_memrchr(const void *s, int c, size_t n) { return memrchr(s, c, n); }
