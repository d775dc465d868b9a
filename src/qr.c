/*
 * qr.c: GET /api/v1/campaigns/{slug}/qr.svg, a QR code of the campaign's
 * pledge page for projecting at events. The symbol comes from Debian's
 * libqrencode; this file only draws its modules as one SVG path.
 */
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "campcache.h"
#include "handlers.h"
#include "log.h"
#include "response.h"
#include "store.h"

#define QR_QUIET 4	/* modules of white border the standard asks for */

/* Appends to a growing arena string. */
static void
svg_add(struct arena *a, char **buf, size_t *len, size_t *cap,
    const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = *cap ? *cap * 2 : 8192;
		char  *nb;

		while (nc < *len + n + 1)
			nc *= 2;
		nb = arena_alloc(a, nc);
		if (*len)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

void
qr_svg(struct req *r)
{
	struct campaign c;
	QRcode	       *qr;
	enum db_err	e;
	char	       *url, *svg = NULL, tmp[512];
	size_t	        ulen, len = 0, cap = 0;
	int		size, n;

	e = campcache_get(r->store, r->arena, r->params[0], &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	ulen = strlen(r->cfg->base_url) + strlen(c.slug) + 32;
	url = arena_alloc(r->arena, ulen);
	snprintf(url, ulen, "%s/?campaign=%s#pledge", r->cfg->base_url, c.slug);
	qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL) {
		log_error("qr: cannot encode a %zu-byte URL", strlen(url));
		resp_error(r, 500, "internal", NULL);
		return;
	}
	size = qr->width + 2 * QR_QUIET;
	n = snprintf(tmp, sizeof(tmp),
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"",
	    size, size, size, size);
	svg_add(r->arena, &svg, &len, &cap, tmp, (size_t)n);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++) {
			/* Bit 0 of each byte: the module is dark. */
			if (!(qr->data[y * qr->width + x] & 1))
				continue;
			n = snprintf(tmp, sizeof(tmp), "M%d %dh1v1h-1z",
			    x + QR_QUIET, y + QR_QUIET);
			svg_add(r->arena, &svg, &len, &cap, tmp, (size_t)n);
		}
	QRcode_free(qr);
	static const char tail[] = "\" fill=\"#000\" stroke=\"none\"/></svg>";
	svg_add(r->arena, &svg, &len, &cap, tail, sizeof(tail) - 1);
	resp_header(r, "Cache-Control", "public, max-age=3600");
	resp_header(r, "Access-Control-Allow-Origin", "*");
	resp_raw(r, 200, "image/svg+xml; charset=utf-8", svg, len);
}
