// MD5 of many messages at once, one message per 32-bit lane of an AVX2 register (8 lanes).
// One MD5 is a chain of dependent steps that a core runs at about 4.5 cycles a byte
// whatever its width; eight independent chains side by side fill the vector units instead.
// Compiled for avx2 by attribute only; callers check trawl_cpu_has_avx2().
#include "CDigest.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#include "transpose_avx2.h"

// floor(|sin(i + 1)| * 2^32), RFC 1321 section 3.4.
static const uint32_t sine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static const uint32_t initial[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

#define LANES 8

#define ROTL(x, s) _mm256_or_si256(_mm256_slli_epi32((x), (s)), _mm256_srli_epi32((x), 32 - (s)))
#define F(b, c, d) _mm256_xor_si256((d), _mm256_and_si256((b), _mm256_xor_si256((c), (d))))
#define G(b, c, d) _mm256_xor_si256((c), _mm256_and_si256((d), _mm256_xor_si256((b), (c))))
#define H(b, c, d) _mm256_xor_si256(_mm256_xor_si256((b), (c)), (d))
#define I(b, c, d) _mm256_xor_si256((c), _mm256_or_si256((b), _mm256_xor_si256((d), ones)))
#define STEP(f, a, b, c, d, k, i, s)                                                                       \
    a = _mm256_add_epi32(a, _mm256_add_epi32(f(b, c, d), _mm256_add_epi32(x[k], _mm256_set1_epi32((int)sine[i])))); \
    a = _mm256_add_epi32(ROTL(a, s), b);

// `blocks` 64-byte blocks of every lane's message, lane j's at data[j] (advanced past them).
__attribute__((target("avx2"))) static void compress(__m256i state[4], const uint8_t *data[LANES], size_t blocks) {
    const __m256i ones = _mm256_set1_epi32(-1);
    __m256i a = state[0], b = state[1], c = state[2], d = state[3];
    for (size_t n = 0; n < blocks; n++) {
        __m256i x[16];
        for (int j = 0; j < LANES; j++) {
            x[j] = _mm256_loadu_si256((const __m256i *)data[j]);
            x[8 + j] = _mm256_loadu_si256((const __m256i *)(data[j] + 32));
            data[j] += 64;
        }
        transpose8(x);
        transpose8(x + 8);
        __m256i a0 = a, b0 = b, c0 = c, d0 = d;
        for (int i = 0; i < 16; i += 4) {
            STEP(F, a, b, c, d, i, i, 7)
            STEP(F, d, a, b, c, i + 1, i + 1, 12)
            STEP(F, c, d, a, b, i + 2, i + 2, 17)
            STEP(F, b, c, d, a, i + 3, i + 3, 22)
        }
        for (int i = 16; i < 32; i += 4) {
            STEP(G, a, b, c, d, (5 * i + 1) & 15, i, 5)
            STEP(G, d, a, b, c, (5 * i + 6) & 15, i + 1, 9)
            STEP(G, c, d, a, b, (5 * i + 11) & 15, i + 2, 14)
            STEP(G, b, c, d, a, (5 * i + 16) & 15, i + 3, 20)
        }
        for (int i = 32; i < 48; i += 4) {
            STEP(H, a, b, c, d, (3 * i + 5) & 15, i, 4)
            STEP(H, d, a, b, c, (3 * i + 8) & 15, i + 1, 11)
            STEP(H, c, d, a, b, (3 * i + 11) & 15, i + 2, 16)
            STEP(H, b, c, d, a, (3 * i + 14) & 15, i + 3, 23)
        }
        for (int i = 48; i < 64; i += 4) {
            STEP(I, a, b, c, d, (7 * i) & 15, i, 6)
            STEP(I, d, a, b, c, (7 * i + 7) & 15, i + 1, 10)
            STEP(I, c, d, a, b, (7 * i + 14) & 15, i + 2, 15)
            STEP(I, b, c, d, a, (7 * i + 21) & 15, i + 3, 21)
        }
        a = _mm256_add_epi32(a, a0);
        b = _mm256_add_epi32(b, b0);
        c = _mm256_add_epi32(c, c0);
        d = _mm256_add_epi32(d, d0);
    }
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
}

// One lane's message: its whole blocks read in place, then its padded tail (the last
// partial block, 0x80, zeros and the bit length: one or two blocks) from `tail`.
struct lane {
    const uint8_t *next;
    size_t blocks;  // left in the current part
    int in_tail;
    size_t message;
    uint8_t tail[128];
    size_t tail_blocks;
};

static void lane_load(struct lane *lane, const uint8_t *message, size_t length, size_t index) {
    size_t whole = length / 64, rest = length % 64;
    memset(lane->tail, 0, sizeof lane->tail);
    if (rest) memcpy(lane->tail, message + 64 * whole, rest);
    lane->tail[rest] = 0x80;
    lane->tail_blocks = rest + 1 + 8 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) lane->tail[64 * lane->tail_blocks - 8 + i] = (uint8_t)(bits >> (8 * i));
    lane->message = index;
    lane->in_tail = whole == 0;
    lane->next = whole ? message : lane->tail;
    lane->blocks = whole ? whole : lane->tail_blocks;
}

__attribute__((target("avx2")))
void trawl_md5_many_avx2(const uint8_t *const *messages, const size_t *lengths, size_t count, uint8_t *digests) {
    static const uint8_t idle_block[64];
    struct lane lanes[LANES];
    int active[LANES];
    uint32_t words[4][LANES];
    size_t next_message = 0;
    for (int j = 0; j < LANES; j++) {
        active[j] = next_message < count;
        if (active[j]) {
            lane_load(&lanes[j], messages[next_message], lengths[next_message], next_message);
            next_message++;
        }
        for (int w = 0; w < 4; w++) words[w][j] = initial[w];
    }
    for (;;) {
        // Run every lane as far as the shortest part in any lane; idle lanes hash a dummy
        // block in place (their state is never read).
        size_t run = SIZE_MAX;
        const uint8_t *data[LANES];
        for (int j = 0; j < LANES; j++) {
            if (active[j] && lanes[j].blocks < run) run = lanes[j].blocks;
        }
        if (run == SIZE_MAX) break;
        __m256i state[4];
        for (int w = 0; w < 4; w++) state[w] = _mm256_loadu_si256((const __m256i *)words[w]);
        for (size_t n = 0; n < run; n++) {
            for (int j = 0; j < LANES; j++) data[j] = active[j] ? lanes[j].next + 64 * n : idle_block;
            compress(state, data, 1);
        }
        for (int w = 0; w < 4; w++) _mm256_storeu_si256((__m256i *)words[w], state[w]);
        for (int j = 0; j < LANES; j++) {
            if (!active[j]) continue;
            struct lane *lane = &lanes[j];
            lane->next += 64 * run;
            lane->blocks -= run;
            if (lane->blocks) continue;
            if (!lane->in_tail) {
                lane->in_tail = 1;
                lane->next = lane->tail;
                lane->blocks = lane->tail_blocks;
                continue;
            }
            uint8_t *digest = digests + 16 * lane->message;
            for (int w = 0; w < 4; w++) {
                for (int i = 0; i < 4; i++) digest[4 * w + i] = (uint8_t)(words[w][j] >> (8 * i));
            }
            active[j] = next_message < count;
            if (active[j]) {
                lane_load(lane, messages[next_message], lengths[next_message], next_message);
                next_message++;
            }
            for (int w = 0; w < 4; w++) words[w][j] = initial[w];
        }
    }
}
#else
void trawl_md5_many_avx2(const uint8_t *const *messages, const size_t *lengths, size_t count, uint8_t *digests) {
    (void)messages; (void)lengths; (void)count; (void)digests;
}
#endif
