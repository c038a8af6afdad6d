// SPDX-License-Identifier: Apache-2.0
// Linux system headers Swift's Glibc module leaves out: extended attributes (POSIX ACLs).
#ifndef RURALSTAT_CLINUX_SHIM_H
#define RURALSTAT_CLINUX_SHIM_H
#include <sys/xattr.h>
#endif
