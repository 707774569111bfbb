#ifndef LOGSCAN_CMALLOC_SHIM_H
#define LOGSCAN_CMALLOC_SHIM_H
// glibc's malloc tuning (mallopt), which the Swift Glibc module leaves out. Nothing to link:
// the functions are libc's. Other C libraries have no <malloc.h> with mallopt; logscan only
// calls it where Glibc is imported.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#endif
