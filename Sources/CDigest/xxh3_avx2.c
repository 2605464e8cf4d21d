// XXH3 stripe accumulation on AVX2: four 64-bit lanes per register, two registers per
// 64-byte stripe. Compiled for avx2 by attribute only; callers check trawl_cpu_has_avx2().
#include "CDigest.h"
#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
void trawl_xxh3_accumulate_avx2(uint64_t acc[8], const uint8_t *input, const uint8_t *secret, size_t stripes) {
    __m256i acc_low = _mm256_loadu_si256((const __m256i *)acc);
    __m256i acc_high = _mm256_loadu_si256((const __m256i *)(acc + 4));
    for (size_t s = 0; s < stripes; s++) {
        const uint8_t *stripe = input + 64 * s, *key = secret + 8 * s;
        for (int half = 0; half < 2; half++) {
            __m256i data = _mm256_loadu_si256((const __m256i *)(stripe + 32 * half));
            __m256i keyed = _mm256_xor_si256(data, _mm256_loadu_si256((const __m256i *)(key + 32 * half)));
            // low 32 bits times high 32 bits of each keyed lane
            __m256i product = _mm256_mul_epu32(keyed, _mm256_shuffle_epi32(keyed, _MM_SHUFFLE(0, 3, 0, 1)));
            // acc[i ^ 1] += data[i]
            __m256i swapped = _mm256_shuffle_epi32(data, _MM_SHUFFLE(1, 0, 3, 2));
            __m256i *target = half ? &acc_high : &acc_low;
            *target = _mm256_add_epi64(*target, _mm256_add_epi64(product, swapped));
        }
    }
    _mm256_storeu_si256((__m256i *)acc, acc_low);
    _mm256_storeu_si256((__m256i *)(acc + 4), acc_high);
}
#else
void trawl_xxh3_accumulate_avx2(uint64_t acc[8], const uint8_t *input, const uint8_t *secret, size_t stripes) {
    (void)acc; (void)input; (void)secret; (void)stripes;
}
#endif
