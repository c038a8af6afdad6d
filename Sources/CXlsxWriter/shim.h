// SPDX-License-Identifier: Apache-2.0
#ifndef RURALSTAT_CXLSXWRITER_SHIM_H
#define RURALSTAT_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
