#ifndef TRAWL_CDIGEST_H
#define TRAWL_CDIGEST_H
#include <stdint.h>
#include <stddef.h>
/// 1 when this CPU has the SHA extensions (SHA-NI), else 0.
int trawl_cpu_has_sha_ni(void);
/// 1 when this CPU (and OS) support AVX2, else 0.
int trawl_cpu_has_avx2(void);
/// 1 when this CPU (and OS) support AVX-512 F and VL, else 0.
int trawl_cpu_has_avx512(void);

/// SHA-256 compression of `blocks` 64-byte blocks into `state` (a..h). Requires SHA-NI.
void trawl_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks);
/// SHA-1 compression of `blocks` 64-byte blocks into `state` (a..e). Requires SHA-NI.
void trawl_sha1_blocks_shani(uint32_t state[5], const uint8_t *data, size_t blocks);

/// BLAKE3: hashes `count` inputs, each `blocks` 64-byte blocks long and `stride` bytes
/// apart, into `count` 32-byte chaining values at `out`. Input i uses counter
/// `counter + i` when `increment_counter` is 1, else `counter`. `flags` apply to every
/// block, `flags_start` to the first and `flags_end` to the last. Requires AVX2
/// (trawl_blake3_hash_many_avx2, 8 lanes) or AVX-512 F+VL (16 lanes, then 8). Hashes all
/// `count` inputs (a part-filled last group repeats its final input in the spare lanes)
/// and returns `count`. `out` may overlap `inputs` if every output lies at or before its
/// own input (in-place tree reduction).
size_t trawl_blake3_hash_many_avx2(const uint8_t *inputs, size_t stride, size_t count, size_t blocks,
                                 const uint32_t key[8], uint64_t counter, int increment_counter,
                                 uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);
size_t trawl_blake3_hash_many_avx512(const uint8_t *inputs, size_t stride, size_t count, size_t blocks,
                                   const uint32_t key[8], uint64_t counter, int increment_counter,
                                   uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

/// XXH3: runs `stripes` 64-byte stripes of `input` into the eight accumulators, stripe s
/// keyed by `secret + 8 * s` (the caller keeps stripes within one block). Requires AVX2.
void trawl_xxh3_accumulate_avx2(uint64_t acc[8], const uint8_t *input, const uint8_t *secret, size_t stripes);

/// MD5 of `count` messages at once, one per lane of eight: `digests + 16 * i` gets the MD5
/// of the `lengths[i]` bytes at `messages[i]`. Lanes that run out take the next message, so
/// messages of similar length keep all eight busy. Requires AVX2.
void trawl_md5_many_avx2(const uint8_t *const *messages, const size_t *lengths, size_t count, uint8_t *digests);

/// 1 when this CPU has PCLMULQDQ and SSE4.1, else 0.
int trawl_cpu_has_pclmul(void);
/// CRC-32 folding: absorbs `blocks` (>= 1) 16-byte blocks, with the running CRC register
/// `crc` XORed into the first, into a 16-byte residue (message byte order) whose CRC from
/// a zero register equals the register after `data`. `_reflected` is zlib's bit order,
/// `_msb` POSIX cksum's. Requires PCLMULQDQ.
void trawl_crc32_fold_reflected(uint32_t crc, const uint8_t *data, size_t blocks, uint8_t residue[16]);
void trawl_crc32_fold_msb(uint32_t crc, const uint8_t *data, size_t blocks, uint8_t residue[16]);
#endif
