#define _GNU_SOURCE
#include "CShims.h"
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int trawl_set_thread_name(const char *name) {
    char buf[16];
    strncpy(buf, name, 15);
    buf[15] = 0;
    return pthread_setname_np(pthread_self(), buf);
}

pid_t trawl_gettid(void) { return (pid_t)syscall(SYS_gettid); }

const void *trawl_memmem(const void *h, size_t hl, const void *n, size_t nl) { return memmem(h, hl, n, nl); }

const void *trawl_memrchr(const void *s, int c, size_t n) { return memrchr(s, c, n); }
