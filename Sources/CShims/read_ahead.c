// Read-ahead of a run of files in one io_uring submission (trawl_read_ahead, include/CShims.h).
//
// Why a ring and not a loop of reads or fadvise(WILLNEED): the kernel merges block requests
// only while they wait together, and one io_uring_enter submits every read under one block
// plug. Files extracted side by side lie side by side on disk (the Linux tree: a
// directory's files in consecutive blocks), so a directory's reads become a few large
// requests instead of one per file; on this VM's disk, which serves about 38k requests a
// second however many wait, requests are what a cold run pays for.
//
// The ring is raw syscalls (no liburing: no dependencies). One ring per thread, made on
// first use and closed when the thread ends.
#define _GNU_SOURCE
#include "CShims.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__linux__) && __has_include(<linux/io_uring.h>) && defined(__NR_io_uring_setup)
#include <linux/io_uring.h>
#define TRAWL_HAS_IO_URING 1
#endif

// cachestat(2), Linux 6.5: page-cache residency without touching the pages or starting
// reads. Its number is the same on every architecture (after the 424 unification).
struct trawl_cachestat_range { unsigned long long off, len; };
struct trawl_cachestat { unsigned long long nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted; };
static int cachestat_unavailable;

int trawl_is_cached(int fd, unsigned long length) {
    if (__atomic_load_n(&cachestat_unavailable, __ATOMIC_RELAXED)) return -1;
    struct trawl_cachestat_range range = {0, length};
    struct trawl_cachestat stat;
    if (syscall(451, fd, &range, &stat, 0) != 0) {
        if (errno == ENOSYS || errno == EPERM) __atomic_store_n(&cachestat_unavailable, 1, __ATOMIC_RELAXED);
        return -1;
    }
    return stat.nr_cache > 0;
}

#ifdef TRAWL_HAS_IO_URING

enum { ring_entries = TRAWL_READ_AHEAD_MAX_FILES, scratch_size = TRAWL_READ_AHEAD_BYTES };

struct ring {
    int fd;
    void *sq_map, *cq_map;
    size_t sq_map_size, cq_map_size;
    struct io_uring_sqe *sqes;
    size_t sqes_size;
    unsigned *sq_tail, *sq_mask, *sq_array;
    unsigned *cq_head, *cq_tail, *cq_mask;
    struct io_uring_cqe *cqes;
    // Every read lands here and is thrown away: only the page cache keeps what it read.
    void *scratch;
};

static pthread_key_t ring_key;
static pthread_once_t ring_key_once = PTHREAD_ONCE_INIT;
// Set once a ring could not be made (no io_uring: an old kernel, a seccomp filter,
// io_uring_disabled): no thread tries again.
static int rings_unavailable;

static void ring_free(void *value) {
    struct ring *ring = value;
    if (!ring) return;
    if (ring->sqes) munmap(ring->sqes, ring->sqes_size);
    if (ring->cq_map && ring->cq_map != ring->sq_map) munmap(ring->cq_map, ring->cq_map_size);
    if (ring->sq_map) munmap(ring->sq_map, ring->sq_map_size);
    if (ring->fd >= 0) close(ring->fd);
    free(ring->scratch);
    free(ring);
}

static void ring_key_make(void) { pthread_key_create(&ring_key, ring_free); }

// One of the ring's shared regions, or NULL.
static void *ring_map(int fd, size_t size, off_t offset) {
    void *region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
    return region == MAP_FAILED ? NULL : region;
}

static struct ring *ring_make(void) {
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    int fd = (int)syscall(__NR_io_uring_setup, ring_entries, &params);
    if (fd < 0) return NULL;
    struct ring *ring = calloc(1, sizeof *ring);
    if (!ring) {
        close(fd);
        return NULL;
    }
    ring->fd = fd;
    ring->sq_map_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    ring->cq_map_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    int single = (params.features & IORING_FEAT_SINGLE_MMAP) != 0;
    if (single && ring->cq_map_size > ring->sq_map_size) ring->sq_map_size = ring->cq_map_size;
    ring->sq_map = ring_map(fd, ring->sq_map_size, IORING_OFF_SQ_RING);
    ring->cq_map = single ? ring->sq_map : ring_map(fd, ring->cq_map_size, IORING_OFF_CQ_RING);
    ring->sqes_size = params.sq_entries * sizeof(struct io_uring_sqe);
    ring->sqes = ring_map(fd, ring->sqes_size, IORING_OFF_SQES);
    if (!ring->sq_map || !ring->cq_map || !ring->sqes) {
        ring_free(ring);
        return NULL;
    }
    char *sq = ring->sq_map, *cq = ring->cq_map;
    ring->sq_tail = (unsigned *)(sq + params.sq_off.tail);
    ring->sq_mask = (unsigned *)(sq + params.sq_off.ring_mask);
    ring->sq_array = (unsigned *)(sq + params.sq_off.array);
    ring->cq_head = (unsigned *)(cq + params.cq_off.head);
    ring->cq_tail = (unsigned *)(cq + params.cq_off.tail);
    ring->cq_mask = (unsigned *)(cq + params.cq_off.ring_mask);
    ring->cqes = (struct io_uring_cqe *)(cq + params.cq_off.cqes);
    ring->scratch = malloc(scratch_size);
    if (!ring->scratch) {
        ring_free(ring);
        return NULL;
    }
    return ring;
}

static struct ring *thread_ring(void) {
    if (__atomic_load_n(&rings_unavailable, __ATOMIC_RELAXED)) return NULL;
    pthread_once(&ring_key_once, ring_key_make);
    struct ring *ring = pthread_getspecific(ring_key);
    if (ring) return ring;
    ring = ring_make();
    if (!ring) {
        __atomic_store_n(&rings_unavailable, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    pthread_setspecific(ring_key, ring);
    return ring;
}

int trawl_read_ahead(const int *fds, int count) {
    if (count <= 0) return 0;
    if (count > ring_entries) count = ring_entries;
    struct ring *ring = thread_ring();
    if (!ring) return -ENOSYS;
    // Only this thread writes the submission tail; the kernel reads it after the release.
    unsigned tail = *ring->sq_tail;
    for (int i = 0; i < count; i++) {
        unsigned index = tail & *ring->sq_mask;
        struct io_uring_sqe *sqe = &ring->sqes[index];
        memset(sqe, 0, sizeof *sqe);
        sqe->opcode = IORING_OP_READ;
        sqe->fd = fds[i];
        sqe->addr = (unsigned long)ring->scratch;
        sqe->len = scratch_size;
        sqe->off = 0;
        sqe->user_data = (unsigned)i;
        ring->sq_array[index] = index;
        tail++;
    }
    __atomic_store_n(ring->sq_tail, tail, __ATOMIC_RELEASE);
    unsigned unsubmitted = (unsigned)count, completed = 0;
    while (completed < (unsigned)count) {
        long submitted = syscall(__NR_io_uring_enter, ring->fd, unsubmitted, (unsigned)count - completed,
                                 IORING_ENTER_GETEVENTS, NULL, 0);
        if (submitted < 0) {
            if (errno != EINTR && errno != EAGAIN && errno != EBUSY) {
                // A ring that failed midway may still hold reads: no thread uses rings again.
                int error = errno;
                __atomic_store_n(&rings_unavailable, 1, __ATOMIC_RELAXED);
                return -error;
            }
        } else {
            unsubmitted -= (unsigned)submitted;
        }
        // The reads' own results do not matter: a file that fails here fails again, and is
        // reported, when it is read for real.
        unsigned head = *ring->cq_head;
        unsigned ready = __atomic_load_n(ring->cq_tail, __ATOMIC_ACQUIRE);
        completed += ready - head;
        __atomic_store_n(ring->cq_head, ready, __ATOMIC_RELEASE);
    }
    return 0;
}

#else

int trawl_read_ahead(const int *fds, int count) {
    (void)fds;
    (void)count;
    return -ENOSYS;
}

#endif
