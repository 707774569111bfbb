#ifndef LOGSCAN_CPCRE2_SHIM_H
#define LOGSCAN_CPCRE2_SHIM_H
// logscan only uses the 8-bit code unit library (UTF-8 and raw bytes).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
