#define _GNU_SOURCE
#include "CShims.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

// A file mapping is a promise the file can break: a file truncated while mapped raises
// SIGBUS on the first touch of a page past its new end, which would kill the process.
// Registered mappings are guarded: the handler maps zero pages over the rest of the
// mapping (MAP_FIXED, so the faulting load retries and reads zeros) and marks the slot;
// the searcher then reports the file. A fault outside every slot is a real bug: the
// default action runs.
//
// Slots are a fixed table scanned by the handler with atomic loads only (async-signal-safe);
// a slot is taken with a compare-and-swap of its owner from 0 to 1 and published by storing
// its range; with no slot free the mapping is simply not guarded.

#define TRAWL_GUARD_SLOTS 256

struct guard_slot {
    _Atomic int owner;           // 0 free, 1 taken
    _Atomic uintptr_t start;     // 0 while not published
    _Atomic uintptr_t end;
    _Atomic int truncated;
};

static struct guard_slot slots[TRAWL_GUARD_SLOTS];
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static struct sigaction previous;

static void on_bus(int number, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    long page = sysconf(_SC_PAGESIZE);
    for (int i = 0; i < TRAWL_GUARD_SLOTS; i++) {
        uintptr_t start = atomic_load(&slots[i].start);
        uintptr_t end = atomic_load(&slots[i].end);
        if (start == 0 || address < start || address >= end) continue;
        uintptr_t from = address & ~(uintptr_t)(page - 1);
        void *zeros = mmap((void *)from, end - from, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros != MAP_FAILED) {
            atomic_store(&slots[i].truncated, 1);
            return;
        }
        break;
    }
    // Not ours (or the remap failed): what would have happened without the guard.
    if (previous.sa_flags & SA_SIGINFO && previous.sa_sigaction) {
        previous.sa_sigaction(number, info, context);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) {
        previous.sa_handler(number);
        return;
    }
    signal(SIGBUS, SIG_DFL);  // the faulting load runs again and the process dies of SIGBUS
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous);
}

int trawl_map_guard_register(void *base, size_t size) {
    pthread_once(&install_once, install);
    for (int i = 0; i < TRAWL_GUARD_SLOTS; i++) {
        int expected = 0;
        if (!atomic_compare_exchange_strong(&slots[i].owner, &expected, 1)) continue;
        atomic_store(&slots[i].truncated, 0);
        atomic_store(&slots[i].end, (uintptr_t)base + size);
        atomic_store(&slots[i].start, (uintptr_t)base);
        return i;
    }
    return -1;
}

int trawl_map_guard_unregister(int slot) {
    if (slot < 0 || slot >= TRAWL_GUARD_SLOTS) return 0;
    atomic_store(&slots[slot].start, 0);
    atomic_store(&slots[slot].end, 0);
    int truncated = atomic_load(&slots[slot].truncated);
    atomic_store(&slots[slot].owner, 0);
    return truncated;
}
