// SPDX-License-Identifier: Apache-2.0
/* The floor: libzip plus a direct byte scan of the sheet XML. Counts cells (<c ...>),
 * parses every <v> number, counts shared strings. `inflate` mode only inflates. */
#include "common.h"

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: read-scan scan|inflate FILE\n"); return 2; }
    int inflate_only = strcmp(argv[1], "inflate") == 0;
    zip_t *z = open_zip(argv[2]);
    static char buf[CHUNK];
    long long cells = 0, strings = 0, numbers = 0, bytes = 0;
    double sum = 0;
    zip_int64_t n;

    zip_file_t *sst = zip_fopen(z, "xl/sharedStrings.xml", 0);
    int st = 0;
    while (sst && (n = zip_fread(sst, buf, CHUNK)) > 0) {
        bytes += n;
        if (inflate_only) continue;
        for (zip_int64_t i = 0; i < n; i++) {   /* count "<si>" across chunk boundaries */
            char ch = buf[i];
            st = (st == 0 && ch == '<') ? 1 : (st == 1 && ch == 's') ? 2 : (st == 2 && ch == 'i') ? 3 : (ch == '<' ? 1 : 0);
            if (st == 3) { strings++; st = 0; }
        }
    }
    if (sst) zip_fclose(sst);

    zip_file_t *sheet = open_entry(z, "xl/worksheets/sheet1.xml");
    int state = 0;           /* 0 text, 1 after '<', 2 after "<c", 3 after "<v", 4 in value */
    char num[64]; int len = 0;
    while ((n = zip_fread(sheet, buf, CHUNK)) > 0) {
        bytes += n;
        if (inflate_only) continue;
        for (zip_int64_t i = 0; i < n; i++) {
            char ch = buf[i];
            switch (state) {
            case 0: if (ch == '<') state = 1; break;
            case 1: state = ch == 'c' ? 2 : ch == 'v' ? 3 : ch == '<' ? 1 : 0; break;
            case 2: if (ch == ' ' || ch == '>' || ch == '/') cells++; state = ch == '<' ? 1 : 0; break;
            case 3: if (ch == '>') { state = 4; len = 0; } else state = 0; break;
            case 4:
                if (ch == '<') { num[len] = 0; sum += strtod(num, NULL); numbers++; state = 1; }
                else if (len < 63) num[len++] = ch;
                break;
            }
        }
    }
    zip_fclose(sheet);
    zip_close(z);
    if (inflate_only) printf("bytes=%lld\n", bytes);
    else printf("cells=%lld strings=%lld values=%lld sum=%f\n", cells, strings, numbers, sum);
    return 0;
}
