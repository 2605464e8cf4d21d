#ifndef TRAWL_CDIGEST_H
#define TRAWL_CDIGEST_H
#include <stdint.h>
#include <stddef.h>
/// 1 when this CPU has the SHA extensions (SHA-NI), else 0.
int trawl_cpu_has_sha_ni(void);
#endif
