#ifndef TRAWL_CSHIMS_H
#define TRAWL_CSHIMS_H
#include <stddef.h>
#include <sys/types.h>

/// Sets the calling thread's OS-visible name (Linux keeps 15 bytes). Returns 0 or an errno.
int trawl_set_thread_name(const char *name);
/// The kernel thread id of the calling thread.
pid_t trawl_gettid(void);
/// First occurrence of needle in haystack, or NULL: AVX2 when the CPU has it (runtime
/// check), else glibc's memmem (which needs _GNU_SOURCE).
const void *trawl_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);
/// glibc's memmem only, without the AVX2 path (for tests comparing the two).
const void *trawl_memmem_portable(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);
/// glibc's memrchr (needs _GNU_SOURCE): last occurrence of byte c in s[0..<n], or NULL.
const void *trawl_memrchr(const void *s, int c, size_t n);

/// A spin-wait hint to the CPU (x86 `pause`): lets the sibling hyperthread run and saves power.
static inline void trawl_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause");
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
