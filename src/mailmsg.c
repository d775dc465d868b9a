/*
 * mailmsg.c: MIME composition, the mail header and HTML escapers, and
 * reading a rendered mail's subject back (see mailmsg.h).
 */
#define _GNU_SOURCE	/* memmem */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mailmsg.h"

/* A growing buffer in an arena. */
struct buf {
	struct arena *arena;
	char	     *data;
	size_t	      len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char  *d;

		while (cap < b->len + n + 1)
			cap *= 2;
		d = arena_alloc(b->arena, cap);
		if (b->len)
			memcpy(d, b->data, b->len);
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static bool
header_safe_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f || *s < 0x20 || *s == '=' ||
		    *s == '?' || *s == '"')
			return false;
	return true;
}

char *
mail_header_encode(struct arena *arena, const char *value)
{
	struct buf  b = { .arena = arena };
	const char *p = value;
	size_t	    len = strlen(value);

	if (header_safe_ascii(value) && len < 900)
		return arena_strdup(arena, value);
	/* Encoded words of at most 45 input bytes (60 base64 characters),
	 * split on UTF-8 character boundaries, folded onto new lines. */
	while (len > 0) {
		size_t n = len > 45 ? 45 : len;
		char   b64[64];

		while (n < len && n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)p, n,
		    sodium_base64_VARIANT_ORIGINAL);
		if (b.len > 0)
			buf_str(&b, "\r\n ");
		buf_str(&b, "=?UTF-8?B?");
		buf_str(&b, b64);
		buf_str(&b, "?=");
		p += n;
		len -= n;
	}
	return b.data;
}

/* Appends the text of the RFC 2047 encoded word w[0..n) to b; false,
 * appending nothing, when it is not one of the kind mail_header_encode
 * writes (UTF-8 or ASCII, "B"). */
static bool
encoded_word_add(struct buf *b, const char *w, size_t n)
{
	const char    *cs, *q, *text;
	unsigned char *bin;
	size_t	       binlen, tlen;
	char	       enc;

	if (n < 8 || strncmp(w, "=?", 2) != 0 || strncmp(w + n - 2, "?=", 2))
		return false;
	cs = w + 2;
	if ((q = memchr(cs, '?', n - 4)) == NULL || q + 3 > w + n - 2 ||
	    q[2] != '?')
		return false;
	if (!((q - cs == 5 && strncasecmp(cs, "UTF-8", 5) == 0) ||
	    (q - cs == 8 && strncasecmp(cs, "US-ASCII", 8) == 0)))
		return false;
	enc = q[1];
	text = q + 3;
	tlen = (size_t)(w + n - 2 - text);
	bin = arena_alloc(b->arena, tlen + 1);
	if ((enc != 'B' && enc != 'b') || sodium_base642bin(bin, tlen + 1, text,
	    tlen, NULL, &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	buf_add(b, (const char *)bin, binlen);
	return true;
}

/* The unfolded value of header name (with its colon) in the header block
 * msg[0..len), or NULL. */
static char *
header_value(struct arena *arena, const char *msg, size_t len,
    const char *name)
{
	struct buf  b = { .arena = arena };
	const char *end = memmem(msg, len, "\r\n\r\n", 4);
	const char *stop = end != NULL ? end + 2 : msg + len;
	size_t	    nlen = strlen(name);

	for (const char *p = msg; p < stop;) {
		const char *eol = memmem(p, (size_t)(stop - p), "\r\n", 2);

		if (eol == NULL)
			eol = stop;
		if ((size_t)(eol - p) >= nlen && strncasecmp(p, name,
		    nlen) == 0) {
			buf_add(&b, p + nlen, (size_t)(eol - p) - nlen);
			/* Folded lines start with a space or a tab. */
			while (eol + 2 < stop && (eol[2] == ' ' ||
			    eol[2] == '\t')) {
				p = eol + 2;
				if ((eol = memmem(p, (size_t)(stop - p),
				    "\r\n", 2)) == NULL)
					eol = stop;
				buf_add(&b, p, (size_t)(eol - p));
			}
			return b.data != NULL ? b.data : arena_strdup(arena, "");
		}
		p = eol + 2;
	}
	return NULL;
}

char *
mail_subject_of(struct arena *arena, const char *msg, size_t len)
{
	struct buf  b = { .arena = arena };
	const char *p = header_value(arena, msg, len, "Subject:");
	bool	    prev_word = false;

	if (p == NULL)
		return NULL;
	buf_add(&b, "", 0);
	while (*p != '\0') {
		struct buf w = { .arena = arena };
		size_t	   ws = strspn(p, " \t"), n;
		bool	   word;

		if (p[ws] == '\0')
			break;
		n = strcspn(p + ws, " \t");
		word = encoded_word_add(&w, p + ws, n);
		/* White space between two encoded words is not text. */
		if (b.len > 0 && !(word && prev_word))
			buf_add(&b, p, ws);
		if (!word)
			buf_add(&b, p + ws, n);
		else if (w.len > 0)
			buf_add(&b, w.data, w.len);
		prev_word = word;
		p += ws + n;
	}
	return b.data;
}

char *
html_escape(struct arena *arena, const char *s)
{
	struct buf b = { .arena = arena };

	buf_add(&b, "", 0);
	for (;;) {
		size_t n = strcspn(s, "&<>\"'");

		buf_add(&b, s, n);
		s += n;
		switch (*s) {
		case '\0': return b.data;
		case '&': buf_str(&b, "&amp;"); break;
		case '<': buf_str(&b, "&lt;"); break;
		case '>': buf_str(&b, "&gt;"); break;
		case '"': buf_str(&b, "&quot;"); break;
		default: buf_str(&b, "&#39;"); break;
		}
		s++;
	}
}

static bool
is_url_line(const char *s, size_t n)
{
	if (!((n > 8 && strncmp(s, "https://", 8) == 0) ||
	    (n > 7 && strncmp(s, "http://", 7) == 0)))
		return false;
	return memchr(s, ' ', n) == NULL;
}

char *
mail_text_to_html(struct arena *arena, const char *text)
{
	struct buf  b = { .arena = arena };
	const char *p = text;
	bool	    in_p = false;

	buf_str(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
	    "<body style=\"font-family:sans-serif;line-height:1.5;"
	    "color:#1b2733;max-width:36em\">\n");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t	    n = nl ? (size_t)(nl - p) : strlen(p);
		char	   *line = arena_strndup(arena, p, n);

		if (n == 0) {
			if (in_p)
				buf_str(&b, "</p>\n");
			in_p = false;
		} else if (is_url_line(line, n)) {
			char *url = html_escape(arena, line);

			if (in_p)
				buf_str(&b, "</p>\n");
			in_p = false;
			buf_str(&b, "<p><a href=\"");
			buf_str(&b, url);
			buf_str(&b, "\" style=\"display:inline-block;padding:.6em "
			    "1.2em;background:#0b5cad;color:#fff;"
			    "text-decoration:none;border-radius:4px\">");
			buf_str(&b, url);
			buf_str(&b, "</a></p>\n");
		} else {
			buf_str(&b, in_p ? "<br>\n" : "<p>");
			in_p = true;
			buf_str(&b, html_escape(arena, line));
		}
		p += n + (nl ? 1 : 0);
	}
	if (in_p)
		buf_str(&b, "</p>\n");
	buf_str(&b, "</body></html>\n");
	return b.data;
}

/* Appends s base64-encoded in lines of 76 characters. */
static void
add_base64(struct buf *b, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		size_t n = len > 57 ? 57 : len;
		char   line[80];

		sodium_bin2base64(line, sizeof(line), p, n,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_str(b, line);
		buf_str(b, "\r\n");
		p += n;
		len -= n;
	}
}

/* Text with '\n' line ends as CRLF, for the body parts (a "\r\n" already
 * there stays as it is). */
static char *
crlf(struct arena *arena, const char *s)
{
	struct buf b = { .arena = arena };

	buf_add(&b, "", 0);
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t	    n = nl != NULL ? (size_t)(nl - s) : strlen(s);

		buf_add(&b, s, n);
		if (nl == NULL)
			return b.data;
		if (b.len == 0 || b.data[b.len - 1] != '\r')
			buf_str(&b, "\r\n");
		else
			buf_str(&b, "\n");
		s = nl + 1;
	}
}

static void
boundary_new(char out[40])
{
	unsigned char raw[12];

	randombytes_buf(raw, sizeof(raw));
	strcpy(out, "=_ic_");
	sodium_bin2hex(out + 5, 40 - 5, raw, sizeof(raw));
}

char *
mail_render(struct arena *arena, const struct mail *m, size_t *len)
{
	struct buf    b = { .arena = arena };
	char	      alt[40], mixed[40], date[64], idhex[33];
	unsigned char idraw[16];
	const char   *domain = strrchr(m->from, '@');
	time_t	      now = time(NULL);
	struct tm     tm;
	char	     *text = crlf(arena, m->text);

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(idraw, sizeof(idraw));
	sodium_bin2hex(idhex, sizeof(idhex), idraw, sizeof(idraw));
	boundary_new(alt);
	boundary_new(mixed);

	buf_str(&b, "From: ");
	if (m->from_name != NULL) {
		buf_str(&b, mail_header_encode(arena, m->from_name));
		buf_str(&b, " ");
	}
	buf_str(&b, "<");
	buf_str(&b, m->from);
	buf_str(&b, ">\r\nTo: <");
	buf_str(&b, m->to);
	buf_str(&b, ">\r\nSubject: ");
	buf_str(&b, mail_header_encode(arena, m->subject));
	buf_str(&b, "\r\nDate: ");
	buf_str(&b, date);
	buf_str(&b, "\r\nMessage-ID: <");
	buf_str(&b, idhex);
	buf_str(&b, domain ? domain : "@localhost");
	buf_str(&b, ">\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
	if (m->list_unsubscribe != NULL) {
		buf_str(&b, "List-Unsubscribe: <");
		buf_str(&b, m->list_unsubscribe);
		buf_str(&b, ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	}
	if (m->nattachments > 0) {
		buf_str(&b, "Content-Type: multipart/mixed; boundary=\"");
		buf_str(&b, mixed);
		buf_str(&b, "\"\r\n\r\n--");
		buf_str(&b, mixed);
		buf_str(&b, "\r\n");
	}
	if (m->html != NULL) {
		buf_str(&b, "Content-Type: multipart/alternative; boundary=\"");
		buf_str(&b, alt);
		buf_str(&b, "\"\r\n\r\n--");
		buf_str(&b, alt);
		buf_str(&b, "\r\n");
	}
	buf_str(&b, "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	add_base64(&b, text, strlen(text));
	if (m->html != NULL) {
		char *html = crlf(arena, m->html);

		buf_str(&b, "--");
		buf_str(&b, alt);
		buf_str(&b, "\r\nContent-Type: text/html; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		add_base64(&b, html, strlen(html));
		buf_str(&b, "--");
		buf_str(&b, alt);
		buf_str(&b, "--\r\n");
	}
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct mail_attachment *a = &m->attachments[i];

		buf_str(&b, "--");
		buf_str(&b, mixed);
		buf_str(&b, "\r\nContent-Type: ");
		buf_str(&b, a->content_type);
		buf_str(&b, "; name=\"");
		buf_str(&b, a->filename);
		buf_str(&b, "\"\r\nContent-Disposition: attachment; filename=\"");
		buf_str(&b, a->filename);
		buf_str(&b, "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
		add_base64(&b, a->data, a->len);
	}
	if (m->nattachments > 0) {
		buf_str(&b, "--");
		buf_str(&b, mixed);
		buf_str(&b, "--\r\n");
	}
	*len = b.len;
	return b.data;
}
