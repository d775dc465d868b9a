/*
 * fuzz_partners.c: libFuzzer harness for site.c's partners file parser:
 * site_partners_parse over arbitrary bytes; a good parse must give an
 * array of at most SITE_PARTNERS_MAX objects, each with a string name and
 * a string or null url and logo.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	err[256];
	char   *buf = malloc(size ? size : 1); /* exact: ASan */
	json_t *a, *p;
	size_t	i;

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	memset(err, 'x', sizeof(err));
	a = site_partners_parse(buf, size, err, sizeof(err));
	if (a == NULL) {
		if (memchr(err, '\0', sizeof(err)) == NULL)
			abort();
	} else {
		if (!json_is_array(a) || json_array_size(a) > SITE_PARTNERS_MAX)
			abort();
		json_array_foreach(a, i, p) {
			json_t *url = json_object_get(p, "url");
			json_t *logo = json_object_get(p, "logo");

			if (!json_is_string(json_object_get(p, "name")) ||
			    !(json_is_string(url) || json_is_null(url)) ||
			    !(json_is_string(logo) || json_is_null(logo)))
				abort();
			if (json_is_string(logo) &&
			    json_string_value(logo)[0] != '/')
				abort();
		}
		json_decref(a);
	}
	free(buf);
	return 0;
}
