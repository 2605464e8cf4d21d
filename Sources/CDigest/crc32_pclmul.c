// CRC-32 folding with carry-less multiplication (PCLMULQDQ): 64 bytes per step in four
// independent 128-bit lanes, then one lane. The caller finishes the 16-byte residue and
// the tail with its table code, so no Barrett reduction is needed here. Compiled for
// pclmul+sse4.1 by attribute only; callers check trawl_cpu_has_pclmul().
#include "CDigest.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include <cpuid.h>

int trawl_cpu_has_pclmul(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return ((c >> 1) & 1) && ((c >> 19) & 1);  // PCLMULQDQ and SSE4.1
}

#define PCLMUL __attribute__((target("pclmul,sse4.1")))

// Reflected (zlib) fold constants, as in the Intel white paper "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ": x^(512+32), x^(512-32) and x^(128+32),
// x^(128-32) mod P, bit-reflected and shifted for the reflected product.
PCLMUL static inline __m128i fold_reflected(__m128i x, __m128i k) {
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

PCLMUL void trawl_crc32_fold_reflected(uint32_t crc, const uint8_t *data, size_t blocks, uint8_t residue[16]) {
    const __m128i k512 = _mm_set_epi64x(0x1c6e41596ULL, 0x154442bd4ULL);
    const __m128i k128 = _mm_set_epi64x(0x0ccaa009eULL, 0x1751997d0ULL);
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)data), _mm_cvtsi32_si128((int)crc));
    size_t i = 1;
    if (blocks >= 8) {
        __m128i x1 = _mm_loadu_si128((const __m128i *)(data + 16));
        __m128i x2 = _mm_loadu_si128((const __m128i *)(data + 32));
        __m128i x3 = _mm_loadu_si128((const __m128i *)(data + 48));
        for (i = 4; i + 4 <= blocks; i += 4) {
            const uint8_t *p = data + 16 * i;
            x = _mm_xor_si128(fold_reflected(x, k512), _mm_loadu_si128((const __m128i *)p));
            x1 = _mm_xor_si128(fold_reflected(x1, k512), _mm_loadu_si128((const __m128i *)(p + 16)));
            x2 = _mm_xor_si128(fold_reflected(x2, k512), _mm_loadu_si128((const __m128i *)(p + 32)));
            x3 = _mm_xor_si128(fold_reflected(x3, k512), _mm_loadu_si128((const __m128i *)(p + 48)));
        }
        x = _mm_xor_si128(fold_reflected(x, k128), x1);
        x = _mm_xor_si128(fold_reflected(x, k128), x2);
        x = _mm_xor_si128(fold_reflected(x, k128), x3);
    }
    for (; i < blocks; i++)
        x = _mm_xor_si128(fold_reflected(x, k128), _mm_loadu_si128((const __m128i *)(data + 16 * i)));
    _mm_storeu_si128((__m128i *)residue, x);
}

// x^n mod P for the MSB-first polynomial 0x04C11DB7 (n >= 32).
static uint64_t xpow_mod_msb(unsigned n) {
    uint64_t r = 1;
    for (unsigned i = 0; i < n; i++) {
        r <<= 1;
        if (r & 0x100000000ULL) r ^= 0x104C11DB7ULL;
    }
    return r;
}

// MSB-first: lane hi holds the earlier (higher-degree) 64 bits, so
// x * X^D = hi * (X^(D+64) mod P) + lo * (X^D mod P).
PCLMUL static inline __m128i fold_msb(__m128i x, __m128i k) {
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x11), _mm_clmulepi64_si128(x, k, 0x00));
}

PCLMUL void trawl_crc32_fold_msb(uint32_t crc, const uint8_t *data, size_t blocks, uint8_t residue[16]) {
    const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i k512 = _mm_set_epi64x((long long)xpow_mod_msb(512 + 64), (long long)xpow_mod_msb(512));
    const __m128i k128 = _mm_set_epi64x((long long)xpow_mod_msb(128 + 64), (long long)xpow_mod_msb(128));
#define LOAD(p) _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p)), reverse)
    __m128i x = _mm_xor_si128(LOAD(data), _mm_set_epi32((int)crc, 0, 0, 0));
    size_t i = 1;
    if (blocks >= 8) {
        __m128i x1 = LOAD(data + 16), x2 = LOAD(data + 32), x3 = LOAD(data + 48);
        for (i = 4; i + 4 <= blocks; i += 4) {
            const uint8_t *p = data + 16 * i;
            x = _mm_xor_si128(fold_msb(x, k512), LOAD(p));
            x1 = _mm_xor_si128(fold_msb(x1, k512), LOAD(p + 16));
            x2 = _mm_xor_si128(fold_msb(x2, k512), LOAD(p + 32));
            x3 = _mm_xor_si128(fold_msb(x3, k512), LOAD(p + 48));
        }
        x = _mm_xor_si128(fold_msb(x, k128), x1);
        x = _mm_xor_si128(fold_msb(x, k128), x2);
        x = _mm_xor_si128(fold_msb(x, k128), x3);
    }
    for (; i < blocks; i++) x = _mm_xor_si128(fold_msb(x, k128), LOAD(data + 16 * i));
#undef LOAD
    _mm_storeu_si128((__m128i *)residue, _mm_shuffle_epi8(x, reverse));
}
#else
int trawl_cpu_has_pclmul(void) { return 0; }
void trawl_crc32_fold_reflected(uint32_t crc, const uint8_t *data, size_t blocks, uint8_t residue[16]) {
    (void)crc; (void)data; (void)blocks; (void)residue;
}
void trawl_crc32_fold_msb(uint32_t crc, const uint8_t *data, size_t blocks, uint8_t residue[16]) {
    (void)crc; (void)data; (void)blocks; (void)residue;
}
#endif
