/*
 * fuzz_config.c: libFuzzer harness for config.c: config_parse over
 * arbitrary bytes, over the defaults; a good parse must leave every value
 * within the limits the daemon relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char	      err[256];
	char	     *buf = malloc(size ? size : 1); /* exact: ASan */
	int	      rc;

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	config_defaults(&cfg);
	memset(err, 'x', sizeof(err));
	rc = config_parse(&cfg, "fuzz.conf", buf, size, err, sizeof(err));
	if (rc == 0) {
		if (cfg.threads < 1 || cfg.threads > 256 ||
		    cfg.socket_mode > 0777 ||
		    cfg.trusted_proxies_count > CONFIG_PROXIES ||
		    cfg.session_hours < 1 || cfg.rate_limit < 0 ||
		    cfg.retention_days < 0 ||
		    memchr(cfg.database, '\0', CONFIG_STR) == NULL ||
		    memchr(cfg.listen, '\0', CONFIG_STR) == NULL ||
		    memchr(cfg.base_url, '\0', CONFIG_STR) == NULL ||
		    memchr(cfg.smtp_url, '\0', CONFIG_STR) == NULL ||
		    memchr(cfg.mail_from, '\0', CONFIG_STR) == NULL ||
		    cfg.database[0] == '\0')
			abort();
	} else if (rc != -1 || memchr(err, '\0', sizeof(err)) == NULL ||
	    strncmp(err, "fuzz.conf:", 10) != 0)
		abort();
	free(buf);
	return 0;
}
