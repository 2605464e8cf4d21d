#include "CTeddy.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Teddy: a SIMD prefilter for a small set of literals (the idea comes from Hyperscan).
 *
 * Every literal is put in one of 8 buckets. For each of the `width` (1-3) bytes of a
 * fingerprint window (the same `offset` into every literal), two 16-entry tables map a
 * byte's low and high nibble to the buckets whose literals may hold that byte there.
 * pshufb looks up 32 haystack bytes at once; ANDing the low and high lookups of every
 * window byte leaves, per position, the buckets whose whole fingerprint may start
 * there. Those rare candidates are verified against their buckets' literals.
 * A nibble pair can admit bytes no literal has (the cross product of a bucket's low and
 * high nibbles): that costs only a failed verification.
 * grep -j1 -c 'ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT' over 1 GiB (medians of 3,
 * load 2.4-3.4): 0.56 s with the SWAR pair filters, 0.21 s with this (rg 0.20 s); with -i
 * 0.66 s -> 0.22 s (rg 0.75 s). */

enum { TEDDY_BUCKETS = 8, TEDDY_MAX_LITERALS = 64, TEDDY_MAX_WIDTH = 3, TEDDY_MAX_OFFSET = 16 };

struct trawl_teddy {
    /* Tables repeated in both 128-bit lanes: vpshufb looks up within a lane. */
    uint8_t low[TEDDY_MAX_WIDTH][32] __attribute__((aligned(32)));
    uint8_t high[TEDDY_MAX_WIDTH][32] __attribute__((aligned(32)));
    size_t offset, width;
    size_t count;
    const uint8_t *bytes[TEDDY_MAX_LITERALS];
    const uint8_t *folds[TEDDY_MAX_LITERALS]; /* 0x20 where the byte folds, else 0 */
    size_t lengths[TEDDY_MAX_LITERALS];
    /* Bucket b holds literals members[starts[b] ..< starts[b + 1]], in priority order. */
    uint8_t starts[TEDDY_BUCKETS + 1];
    uint8_t members[TEDDY_MAX_LITERALS];
    uint8_t storage[]; /* literal bytes, then fold masks */
};

/* The same rule as the Swift `LiteralByte.matches`: a folding byte is compared with
 * the haystack byte's 0x20 bit set. */
static inline int byte_matches(uint8_t literal, uint8_t fold, uint8_t hay) { return (uint8_t)(hay | fold) == literal; }

int trawl_teddy_is_available(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

trawl_teddy *trawl_teddy_new(const uint8_t *bytes, const uint8_t *folds, const size_t *lengths, const uint8_t *buckets,
                             size_t count, size_t offset, size_t width) {
    if (!trawl_teddy_is_available() || count == 0 || count > TEDDY_MAX_LITERALS) return NULL;
    if (width == 0 || width > TEDDY_MAX_WIDTH || offset > TEDDY_MAX_OFFSET) return NULL;
    size_t total = 0;
    for (size_t k = 0; k < count; k++) {
        if (lengths[k] < offset + width || buckets[k] >= TEDDY_BUCKETS) return NULL;
        total += lengths[k];
    }
    trawl_teddy *t = aligned_alloc(32, (sizeof *t + 2 * total + 31) / 32 * 32);
    if (!t) return NULL;
    memset(t, 0, sizeof *t);
    t->offset = offset;
    t->width = width;
    t->count = count;
    uint8_t *copy = t->storage, *foldCopy = t->storage + total;
    memcpy(copy, bytes, total);
    for (size_t i = 0; i < total; i++) foldCopy[i] = folds[i] ? 0x20 : 0;
    size_t at = 0, filled = 0;
    for (size_t k = 0; k < count; k++) {
        t->bytes[k] = copy + at;
        t->folds[k] = foldCopy + at;
        t->lengths[k] = lengths[k];
        at += lengths[k];
    }
    /* Members grouped by bucket, each group in priority (index) order. */
    for (uint8_t b = 0; b < TEDDY_BUCKETS; b++) {
        t->starts[b] = (uint8_t)filled;
        for (size_t k = 0; k < count; k++)
            if (buckets[k] == b) t->members[filled++] = (uint8_t)k;
    }
    t->starts[TEDDY_BUCKETS] = (uint8_t)filled;
    /* Every haystack byte that a literal's window byte accepts (both cases of a folding
     * letter) sets the literal's bucket under that byte's two nibbles. */
    for (size_t k = 0; k < count; k++) {
        uint8_t bit = (uint8_t)(1u << buckets[k]);
        for (size_t i = 0; i < width; i++) {
            uint8_t lit = t->bytes[k][offset + i], fold = t->folds[k][offset + i];
            for (unsigned x = 0; x < 256; x++) {
                if (!byte_matches(lit, fold, (uint8_t)x)) continue;
                t->low[i][x & 15] |= bit;
                t->low[i][16 + (x & 15)] |= bit;
                t->high[i][x >> 4] |= bit;
                t->high[i][16 + (x >> 4)] |= bit;
            }
        }
    }
    return t;
}

void trawl_teddy_free(trawl_teddy *t) { free(t); }

static inline int literal_matches(const trawl_teddy *t, size_t k, const uint8_t *at) {
    const uint8_t *lit = t->bytes[k], *fold = t->folds[k];
    for (size_t i = 0; i < t->lengths[k]; i++)
        if (!byte_matches(lit[i], fold[i], at[i])) return 0;
    return 1;
}

/* The first literal (in priority order) of the candidate buckets that starts at `p` and
 * ends by `end`, or -1. Buckets list their members in index order, so the first match in
 * a bucket is that bucket's best. */
static inline long verify(const trawl_teddy *t, const uint8_t *h, size_t p, size_t end, unsigned buckets) {
    long best = -1;
    while (buckets) {
        unsigned b = (unsigned)__builtin_ctz(buckets);
        buckets &= buckets - 1;
        for (unsigned m = t->starts[b]; m < t->starts[b + 1]; m++) {
            size_t k = t->members[m];
            if (best >= 0 && (long)k >= best) break;
            if (p + t->lengths[k] <= end && literal_matches(t, k, h + p)) { best = (long)k; break; }
        }
    }
    return best;
}

#if defined(__x86_64__)
#include <immintrin.h>

/* The nibble tables in registers, loaded once per search. */
typedef struct {
    __m256i low[TEDDY_MAX_WIDTH], high[TEDDY_MAX_WIDTH];
} tables;

/* Per position j of the 32 starting at `at`, the buckets whose fingerprint may start at j:
 * reads at[offset .. offset + width + 30]. `width` is a constant in each caller, so the
 * loop unrolls and the tables stay in registers. */
__attribute__((target("avx2"), always_inline))
static inline __m256i candidates(const tables *tb, size_t offset, const size_t width, const uint8_t *at) {
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    __m256i result = _mm256_set1_epi8((char)0xff);
    for (size_t i = 0; i < width; i++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(at + offset + i));
        __m256i lo = _mm256_shuffle_epi8(tb->low[i], _mm256_and_si256(v, nibble));
        __m256i hi = _mm256_shuffle_epi8(tb->high[i], _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
        result = _mm256_and_si256(result, _mm256_and_si256(lo, hi));
    }
    return result;
}

__attribute__((target("avx2"), always_inline))
static inline unsigned nonzero_lanes(__m256i v) {
    return ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_setzero_si256()));
}

/* Verifies the candidate positions `lanes` of the block starting at haystack position
 * `block`, lowest first. Reading a lane's buckets back from a stored `c` stalls on the
 * store, but one movemask per bucket instead measured slower (grep -c 'e|t' over 1 GiB,
 * 6 runs: 5.13 s user with the store, 5.43 s with movemasks). */
__attribute__((target("avx2")))
static long verify_block(const trawl_teddy *t, const uint8_t *h, size_t block, size_t end, unsigned lanes, __m256i c,
                         size_t *literal) {
    uint8_t bucketsAt[32] __attribute__((aligned(32)));
    _mm256_store_si256((__m256i *)bucketsAt, c);
    while (lanes) {
        unsigned j = (unsigned)__builtin_ctz(lanes);
        lanes &= lanes - 1;
        long k = verify(t, h, block + j, end, bucketsAt[j]);
        if (k >= 0) { *literal = (size_t)k; return (long)(block + j); }
    }
    return -1;
}

__attribute__((target("avx2"), always_inline))
static inline long find_width(const trawl_teddy *t, const uint8_t *h, size_t from, size_t end, size_t *literal,
                              const size_t width) {
    tables tb;
    for (size_t i = 0; i < width; i++) {
        tb.low[i] = _mm256_load_si256((const __m256i *)t->low[i]);
        tb.high[i] = _mm256_load_si256((const __m256i *)t->high[i]);
    }
    const size_t offset = t->offset;
    /* A block of 32 starts reads `span` bytes; the last start whose window fits is
     * end - offset - width. */
    const size_t span = offset + width + 31;
    if (end - from < span) {
        /* Short haystack: copy it into a zeroed block. Positions past the copy are never
         * reported: verification checks the real end. */
        uint8_t padded[64] __attribute__((aligned(32))) = {0};
        memcpy(padded, h + from, end - from);
        __m256i c = candidates(&tb, offset, width, padded);
        unsigned lanes = nonzero_lanes(c);
        return lanes ? verify_block(t, h, from, end, lanes, c, literal) : -1;
    }
    size_t p = from;
    for (; p + span <= end; p += 32) {
        __m256i c = candidates(&tb, offset, width, h + p);
        unsigned lanes = nonzero_lanes(c);
        if (__builtin_expect(lanes != 0, 0)) {
            long found = verify_block(t, h, p, end, lanes, c, literal);
            if (found >= 0) return found;
        }
    }
    if (p + offset + width > end) return -1; /* no window fits at p or later */
    /* The tail: one block ending exactly at `end`, its starts before p already seen
     * (0 < p - last < 32 here, since p's window fits but a whole block did not). */
    size_t last = end - span;
    __m256i c = candidates(&tb, offset, width, h + last);
    unsigned lanes = nonzero_lanes(c) & (~0u << (p - last));
    return lanes ? verify_block(t, h, last, end, lanes, c, literal) : -1;
}

/* One copy of the loop per fingerprint width. */
__attribute__((target("avx2")))
static long find_avx2(const trawl_teddy *t, const uint8_t *h, size_t from, size_t end, size_t *literal) {
    switch (t->width) {
    case 1: return find_width(t, h, from, end, literal, 1);
    case 2: return find_width(t, h, from, end, literal, 2);
    default: return find_width(t, h, from, end, literal, 3);
    }
}
#endif

long trawl_teddy_find(const trawl_teddy *t, const void *haystack, size_t from, size_t end, size_t *literal) {
    if (from >= end) return -1;
#if defined(__x86_64__)
    return find_avx2(t, (const uint8_t *)haystack, from, end, literal);
#else
    (void)t; (void)haystack; (void)literal;
    return -1; /* never built: trawl_teddy_new returns NULL without AVX2 */
#endif
}
