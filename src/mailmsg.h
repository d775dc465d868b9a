/*
 * mailmsg.h: composing mail as RFC 5322/MIME text: UTF-8 headers as
 * RFC 2047 encoded words, a plain-text and an HTML part (base64), and
 * optional attachments. The text goes into the outbox as it is; its
 * subject can be read back (for listings of the queue).
 */
#ifndef ICOMMIT_MAILMSG_H
#define ICOMMIT_MAILMSG_H

#include <stddef.h>

#include "arena.h"

struct mail_attachment {
	const char *content_type;	/* "text/calendar; method=PUBLISH" */
	const char *filename;		/* ASCII */
	const void *data;
	size_t	    len;
};

struct mail {
	const char *from;		/* address only */
	const char *from_name;		/* display name, UTF-8, or NULL */
	const char *to;			/* address only */
	const char *subject;		/* UTF-8 */
	const char *text;		/* UTF-8 plain text, '\n' line ends */
	const char *html;		/* UTF-8 HTML, or NULL */
	const char *list_unsubscribe;	/* an https URL, or NULL */
	const struct mail_attachment *attachments;
	size_t	    nattachments;
};

/*
 * Renders m with CRLF line ends. Returns the message (NUL-terminated) from
 * arena and its length in *len.
 */
char	*mail_render(struct arena *arena, const struct mail *m, size_t *len);

/* An RFC 2047 encoded-word form of a UTF-8 header value (ASCII passes
 * through when it is safe). Returned from arena. */
char	*mail_header_encode(struct arena *arena, const char *value);

/* The subject of the rendered mail msg[0..len) as UTF-8 (folded lines
 * joined, encoded words decoded), from arena; NULL when it has none. */
char	*mail_subject_of(struct arena *arena, const char *msg, size_t len);

/* HTML text escaping (& < > " ') into a new string from arena. */
char	*html_escape(struct arena *arena, const char *s);

/* Plain text to simple HTML: paragraphs at blank lines, <br> at single
 * newlines, lines that are URLs become links. Returned from arena. */
char	*mail_text_to_html(struct arena *arena, const char *text);

#endif
