// SPDX-License-Identifier: Apache-2.0
#ifndef RURALSTAT_CCURL_SHIM_H
#define RURALSTAT_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt is variadic, which Swift cannot call: one typed wrapper per kind of value. */
static inline CURLcode rs_curl_set_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode rs_curl_set_string(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode rs_curl_set_pointer(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode rs_curl_set_list(CURL *c, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(c, o, v); }
typedef size_t (*rs_curl_read_callback)(char *buffer, size_t size, size_t nitems, void *userdata);
static inline CURLcode rs_curl_set_read_function(CURL *c, rs_curl_read_callback f) { return curl_easy_setopt(c, CURLOPT_READFUNCTION, f); }
static inline CURLcode rs_curl_get_response_code(CURL *c, long *code) { return curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code); }
/* The connection's socket, to cut it after a failed message (so that QUIT is not waited for). */
static inline CURLcode rs_curl_get_active_socket(CURL *c, curl_socket_t *s) { return curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, s); }
#endif
