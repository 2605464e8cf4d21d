#ifndef TRAWL_CSHIMS_H
#define TRAWL_CSHIMS_H
#include <stddef.h>
#include <sys/types.h>

/// Sets the calling thread's OS-visible name (Linux keeps 15 bytes). Returns 0 or an errno.
int trawl_set_thread_name(const char *name);
/// The CPUs this process may run on (sched_getaffinity, which needs _GNU_SOURCE), else the
/// CPUs online; at least 1. Every core-sized default in trawl asks this one function, so a
/// CPU-limited container (taskset, cpuset) is sized by what it may use, not by the machine.
/// For tests only: TRAWL_CPU_COUNT=N (1...1024) in the environment answers N instead, so the
/// suite can prove it passes on a machine with more cores than the one it runs on.
/// Read once, then cached (thread-safe).
int trawl_active_processor_count(void);
/// The kernel thread id of the calling thread.
pid_t trawl_gettid(void);

/// mallopt(M_ARENA_MAX, count) (malloc.h is outside Swift's Glibc module): at most `count`
/// malloc arenas, each of which reserves 64 MiB of address space. Returns 1 on success.
int trawl_cap_malloc_arenas(int count);

/// Guards a file mapping against SIGBUS (the file truncated while mapped): a fault in it
/// maps zero pages over the rest of the mapping and marks it. Returns a slot for
/// trawl_map_guard_unregister, or -1 when every slot is taken (the mapping is unguarded).
int trawl_map_guard_register(void *base, size_t size);
/// Ends the guard (call before munmap); returns 1 when the file was found truncated.
int trawl_map_guard_unregister(int slot);

/// getdents64(2) (glibc declares it only with _GNU_SOURCE): fills `buffer` with the next
/// linux_dirent64 records of the open directory `fd`. Returns the bytes filled, 0 at the
/// end, -1 with errno set.
long trawl_getdents64(int fd, void *buffer, size_t size);

/// Times the calling thread gave up the CPU by itself (getrusage RUSAGE_THREAD ru_nvcsw):
/// mostly waits in blocking reads; preemption is not counted.
long trawl_thread_voluntary_switches(void);
/// First occurrence of needle in haystack, or NULL: AVX2 when the CPU has it (runtime
/// check), else glibc's memmem (which needs _GNU_SOURCE).
const void *trawl_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);
/// glibc's memmem only, without the AVX2 path (for tests comparing the two).
const void *trawl_memmem_portable(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);
/// glibc's memrchr (needs _GNU_SOURCE): last occurrence of byte c in s[0..<n], or NULL.
const void *trawl_memrchr(const void *s, int c, size_t n);

/// The most files one trawl_read_ahead call takes (the size of each thread's ring).
#define TRAWL_READ_AHEAD_MAX_FILES 32
/// Bytes trawl_read_ahead reads from the start of each file.
#define TRAWL_READ_AHEAD_BYTES (128 * 1024)
/// Reads the start (TRAWL_READ_AHEAD_BYTES) of each open file into the page cache with one io_uring
/// submission, so the block layer can merge the reads of neighbouring files into few disk
/// requests; waits until all are done and keeps none of the data. Files' own read errors
/// are ignored. Returns 0, or -ENOSYS (or another -errno) when io_uring cannot be used:
/// then no later call uses it either. Uses a ring of the calling thread's, closed when the
/// thread ends. At most TRAWL_READ_AHEAD_MAX_FILES files are read; the rest are ignored.
int trawl_read_ahead(const int *fds, int count);

/// 1 when the page cache holds any of the first `length` bytes of the open file, 0 when it
/// holds none, -1 when the kernel cannot tell (no cachestat(2): before Linux 6.5). Starts no
/// reads and touches no pages.
int trawl_is_cached(int fd, unsigned long length);

/// A spin-wait hint to the CPU (x86 `pause`): lets the sibling hyperthread run and saves power.
static inline void trawl_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause");
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// The birth time of `path` in nanoseconds (statx, which Glibc's Swift module hides):
/// 0, or -1 when the file system does not record it or the path cannot be read.
int trawl_birth_time(const char *path, long long *nanoseconds);
#endif
