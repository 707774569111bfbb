#ifndef LOGSCAN_CARCHIVE_SHIM_H
#define LOGSCAN_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
