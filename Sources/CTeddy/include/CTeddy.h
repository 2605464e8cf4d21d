#ifndef TRAWL_CTEDDY_H
#define TRAWL_CTEDDY_H
#include <stddef.h>

/// A Teddy multi-literal prefilter (AVX2, 32 positions per step; see teddy.c). Immutable
/// once built: one object may be searched from many threads at once.
typedef struct trawl_teddy trawl_teddy;
/// 1 when the CPU runs the Teddy kernel (AVX2), else 0.
int trawl_teddy_is_available(void);
/// Builds a Teddy for `count` literals (at most 64) laid end to end in `bytes`, with `folds`
/// (nonzero: the byte is a lowercase ASCII letter that also matches its uppercase form)
/// alongside, `lengths` per literal and a bucket (0-7) per literal. The fingerprint is
/// bytes offset ..< offset + width (width 1-3, offset at most 16) of every literal. Returns
/// NULL without AVX2 or for a set it cannot take; free with trawl_teddy_free.
trawl_teddy *trawl_teddy_new(const unsigned char *bytes, const unsigned char *folds, const size_t *lengths,
                             const unsigned char *buckets, size_t count, size_t offset, size_t width);
void trawl_teddy_free(trawl_teddy *teddy);
/// The leftmost start p >= from of a literal lying wholly in haystack[from ..< end], or -1;
/// `*literal` gets the lowest index of the literals starting at p.
long trawl_teddy_find(const trawl_teddy *teddy, const void *haystack, size_t from, size_t end, size_t *literal);

#endif
