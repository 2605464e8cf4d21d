// SHA-1 block function on the SHA extensions (SHA-NI), compiled for sha+sse4.1 by
// attribute only; callers check trawl_cpu_has_sha_ni() first.
#include "CDigest.h"
#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("sha,sse4.1")))
void trawl_sha1_blocks_shani(uint32_t state[5], const uint8_t *data, size_t blocks) {
    const __m128i byte_reverse = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    // The instructions want A in the top lane and E alone in the top lane of its register.
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0x1B);
    __m128i e0 = _mm_set_epi32((int)state[4], 0, 0, 0);

    while (blocks--) {
        const __m128i abcd_saved = abcd, e_saved = e0;
        __m128i w[4], previous = abcd, e;
#pragma clang loop unroll(full)
        for (int group = 0; group < 20; group++) {
            __m128i words;
            if (group < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byte_reverse);
            } else {
                // W[t] = rotl1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]), four words at a time.
                __m128i t = _mm_sha1msg1_epu32(w[group & 3], w[(group + 1) & 3]);
                t = _mm_xor_si128(t, w[(group + 2) & 3]);
                words = _mm_sha1msg2_epu32(t, w[(group + 3) & 3]);
            }
            w[group & 3] = words;
            e = group == 0 ? _mm_add_epi32(e0, words) : _mm_sha1nexte_epu32(previous, words);
            previous = abcd;
            switch (group / 5) {  // the round function and constant change every 20 rounds
            case 0: abcd = _mm_sha1rnds4_epu32(abcd, e, 0); break;
            case 1: abcd = _mm_sha1rnds4_epu32(abcd, e, 1); break;
            case 2: abcd = _mm_sha1rnds4_epu32(abcd, e, 2); break;
            default: abcd = _mm_sha1rnds4_epu32(abcd, e, 3); break;
            }
        }
        e0 = _mm_sha1nexte_epu32(previous, e_saved);
        abcd = _mm_add_epi32(abcd, abcd_saved);
        data += 64;
    }
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi32(abcd, 0x1B));
    state[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#else
void trawl_sha1_blocks_shani(uint32_t state[5], const uint8_t *data, size_t blocks) {
    (void)state; (void)data; (void)blocks;
}
#endif
