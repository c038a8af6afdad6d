// SPDX-License-Identifier: Apache-2.0
/* libzip plus expat: the sheet and the shared strings through a real XML parser. Counts
 * cells, parses every <v> number, counts shared strings. */
#include <expat.h>
#include "common.h"

typedef struct { long long cells, strings, values; double sum; int in_v; char num[64]; int len; } State;

static const char *local(const char *name) { const char *c = strrchr(name, ':'); return c ? c + 1 : name; }

static void XMLCALL start(void *data, const char *name, const char **attrs) {
    State *s = data; const char *l = local(name); (void)attrs;
    if (l[0] == 'c' && l[1] == 0) s->cells++;
    else if (l[0] == 'v' && l[1] == 0) { s->in_v = 1; s->len = 0; }
    else if (l[0] == 's' && l[1] == 'i' && l[2] == 0) s->strings++;
}

static void XMLCALL end(void *data, const char *name) {
    State *s = data; const char *l = local(name);
    if (l[0] == 'v' && l[1] == 0) { s->num[s->len] = 0; s->sum += strtod(s->num, NULL); s->values++; s->in_v = 0; }
}

static void XMLCALL text(void *data, const char *t, int n) {
    State *s = data;
    if (!s->in_v) return;
    for (int i = 0; i < n && s->len < 63; i++) s->num[s->len++] = t[i];
}

static void parse(zip_t *z, const char *entry, State *s) {
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    zip_file_t *f = open_entry(z, entry);
    static char buf[CHUNK];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, CHUNK)) > 0) {
        if (XML_Parse(p, buf, (int)n, 0) == XML_STATUS_ERROR) { fprintf(stderr, "XML error in %s\n", entry); exit(1); }
    }
    XML_Parse(p, buf, 0, 1);
    zip_fclose(f);
    XML_ParserFree(p);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: read-expat FILE\n"); return 2; }
    zip_t *z = open_zip(argv[1]);
    State s = {0};
    if (zip_name_locate(z, "xl/sharedStrings.xml", 0) >= 0) parse(z, "xl/sharedStrings.xml", &s);
    parse(z, "xl/worksheets/sheet1.xml", &s);
    zip_close(z);
    printf("cells=%lld strings=%lld values=%lld sum=%f\n", s.cells, s.strings, s.values, s.sum);
    return 0;
}
