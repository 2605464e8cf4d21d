// The floor under any tree scan on this machine: open, read and close every file of a
// prepared list on N threads, with no walk and no work on the bytes.
// compare.py builds it and runs it as the `read_floor` line of the grep suite.
// Usage: readfloor THREADS LIST [DIR]   (LIST: NUL-separated paths relative to DIR, e.g. `find . -type f -print0`)
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static char **paths; static size_t npaths; static atomic_size_t next; static atomic_ullong total;
static void *worker(void *arg) {
  (void)arg; char *buf = malloc(1 << 18); unsigned long long sum = 0;
  for (;;) {
    size_t i = atomic_fetch_add(&next, 1); if (i >= npaths) break;
    int fd = open(paths[i], O_RDONLY | O_CLOEXEC); if (fd < 0) continue;
    ssize_t n; while ((n = read(fd, buf, 1 << 18)) > 0) { sum += (unsigned char)buf[n - 1]; total += n; }
    close(fd);
  }
  free(buf); return (void *)(uintptr_t)sum;
}
int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: readfloor THREADS LIST\n"); return 2; }
  int t = atoi(argv[1]); FILE *f = fopen(argv[2], "rb"); if (!f) return 2;
  if (argc > 3 && chdir(argv[3]) != 0) return 2;
  fseek(f, 0, SEEK_END); long sz = ftell(f); fseek(f, 0, SEEK_SET);
  char *data = malloc(sz + 1); fread(data, 1, sz, f); data[sz] = 0;
  for (long i = 0; i < sz; i++) if (!data[i]) npaths++;
  paths = malloc(npaths * sizeof *paths); size_t k = 0; char *p = data;
  for (long i = 0; i < sz; i++) if (!data[i]) { paths[k++] = p; p = data + i + 1; }
  pthread_t th[256]; for (int i = 0; i < t; i++) pthread_create(&th[i], 0, worker, 0);
  for (int i = 0; i < t; i++) pthread_join(th[i], 0);
  printf("%zu files, %llu bytes\n", npaths, (unsigned long long)total); return 0;
}
