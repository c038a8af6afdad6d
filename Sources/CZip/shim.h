// SPDX-License-Identifier: Apache-2.0
#ifndef RURALSTAT_CZIP_SHIM_H
#define RURALSTAT_CZIP_SHIM_H
#include <zip.h>
#endif
