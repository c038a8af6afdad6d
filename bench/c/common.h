// SPDX-License-Identifier: Apache-2.0
/* Shared by the C readers of the benchmark: open an entry of the workbook and inflate it
 * chunk by chunk. These programs are the yardsticks of `make bench`, not product code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK (256 * 1024)

static zip_file_t *open_entry(zip_t *z, const char *name) {
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) { fprintf(stderr, "no %s\n", name); exit(1); }
    return f;
}

static zip_t *open_zip(const char *path) {
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    if (!z) { fprintf(stderr, "cannot open %s (%d)\n", path, err); exit(1); }
    return z;
}
