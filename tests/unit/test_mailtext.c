/*
 * test_mailtext.c: every mail template exists in the four languages, names
 * its kind, fills its placeholders, and leaves none behind; every rendered
 * message is well-formed MIME with the List-Unsubscribe headers only when
 * asked; the subject of a queued mail reads back as the recipient sees it
 * (icommitctl mail-queue).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ics.h"
#include "mailmsg.h"
#include "mailtext.h"
#include "outbox.h"

/* The base64 part of a rendered message that follows the headers mark,
 * decoded (from arena); NULL if there is none. */
static char *
decoded_part(struct arena *arena, const char *msg, const char *mark)
{
	const char *p = strstr(msg, mark), *end;
	size_t	    len;
	char	   *b64, *out;

	if (p == NULL)
		return NULL;
	p += strlen(mark);
	if ((end = strstr(p, "\r\n--")) == NULL)
		end = p + strlen(p);
	b64 = arena_strndup(arena, p, (size_t)(end - p));
	out = arena_alloc(arena, strlen(b64) + 1);
	if (sodium_base642bin((unsigned char *)out, strlen(b64), b64,
	    strlen(b64), "\r\n", &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0)
		return NULL;
	out[len] = '\0';
	return out;
}

/* The plain-text part of a rendered message, decoded, without its CRs
 * (from arena); NULL if there is none. */
static char *
plain_part(struct arena *arena, const char *msg)
{
	char  *out = decoded_part(arena, msg, "Content-Type: text/plain; "
	    "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	size_t o = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; out[i] != '\0'; i++)
		if (out[i] != '\r')
			out[o++] = out[i];
	out[o] = '\0';
	return out;
}

/* The event.ics attached to a rendered message, decoded; NULL if none. */
static char *
ics_part(struct arena *arena, const char *msg)
{
	return decoded_part(arena, msg, "filename=\"" ICS_MAIL_NAME "\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
}

int
main(void)
{
	struct arena	 arena = { 0 };
	struct mail_vars v = { .name = "Ana", .campaign = "I COMMIT",
		.link = "https://x.example/l?token=T", .event = "PreCOP",
		.when = "1 Dec", .position = "3" };

	for (int k = 0; k < MAIL__MAX; k++) {
		check_context("kind %d", k);
		CHECK(mail_kind_names[k] != NULL);
		if (k == MAIL_NEWSLETTER_ISSUE)	/* staff write its words */
			continue;
		for (int l = 0; l < LANG__MAX; l++) {
			const char *subject, *text;

			check_context("kind %s, lang %s", mail_kind_names[k],
			    lang_codes[l]);
			mailtext_render(&arena, (enum mail_kind)k, (enum lang)l,
			    &v, &subject, &text);
			CHECK(subject != NULL && strlen(subject) > 5);
			CHECK(text != NULL && strlen(text) > 40);
			CHECK(strchr(subject, '{') == NULL);
			CHECK(strchr(text, '{') == NULL);
			/* Signed, except the note to staff. */
			if (k != MAIL_COMMENT_NOTIFY)
				CHECK(strstr(text, "I COMMIT") != NULL);
		}
	}
	/* A value is put in as it is: braces in it are not placeholders. */
	check_context("a name with braces");
	{
		struct mail_vars w = v;
		const char	*subject, *text;

		w.name = "{link} {nope";
		mailtext_render(&arena, MAIL_PLEDGE_CONFIRM, LANG_EN, &w,
		    &subject, &text);
		CHECK(strstr(text, "{link} {nope") != NULL);
	}
	check_context("html_escape");
	{
		static const char *const rows[][2] = {
			{ "", "" },
			{ "plain", "plain" },
			{ "a&b", "a&amp;b" },
			{ "<p class=\"x\">", "&lt;p class=&quot;x&quot;&gt;" },
			{ "it's", "it&#39;s" },
			{ "&&", "&amp;&amp;" },
			{ "ñandú > 3", "ñandú &gt; 3" },
		};

		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			check_context("html_escape row %zu", i);
			CHECK_STR(html_escape(&arena, rows[i][0]), rows[i][1]);
		}
	}
	check_context("CRLF line ends in the body");
	{
		struct mail m = { .from = "a@x.example", .to = "b@y.example",
			.subject = "s", .text = "one\ntwo\r\nthree" };
		size_t	    len;
		char	   *msg = mail_render(&arena, &m, &len);

		/* No bare LF anywhere in the message. */
		for (size_t i = 0; i < len; i++)
			if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r')) {
				CHECK(!"bare LF");
				break;
			}
	}
	/* Queued as variables, rendered by the mailer: the same words. */
	{
		struct config	     cfg = { .mail_from = "icommit@x.example",
			.base_url = "https://x.example" };
		struct mail_vars     w = v;

		w.name = "Zoë \"Z\" O'Brien | {link}";
		w.topic = "press";
		w.email = "z@y.example";
		w.message = "line one\nline two";
		for (int k = 0; k < MAIL__MAX; k++) {
			if (k == MAIL_NEWSLETTER_ISSUE)
				continue;
			for (int l = 0; l < LANG__MAX; l++) {
				struct prepared_mail pm;
				const char	    *subject, *text;
				char		    *msg, *got;
				size_t		     len;

				check_context("compose %s %s", mail_kind_names[k],
				    lang_codes[l]);
				outbox_prepare(&arena, &cfg, (enum mail_kind)k,
				    (enum lang)l, "z@y.example", "z@y.example", &w,
				    NULL, 0, &pm);
				CHECK(pm.msg == NULL && pm.vars != NULL);
				CHECK_INT(outbox_compose(&arena, &cfg,
				    mail_kind_names[k], "z@y.example", pm.vars, NULL,
				    &msg, &len), 0);
				CHECK(strstr(msg, "\r\nTo: <z@y.example>\r\n") != NULL);
				mailtext_render(&arena, (enum mail_kind)k,
				    (enum lang)l, &w, &subject, &text);
				got = plain_part(&arena, msg);
				CHECK_STR(got, text);
				/* mail-queue's subject: from the variables, and
				 * the same read back from the message. */
				CHECK_STR(outbox_subject(&arena,
				    mail_kind_names[k], pm.vars, NULL, 0), subject);
				CHECK_STR(outbox_subject(&arena,
				    mail_kind_names[k], NULL, msg, len), subject);
				CHECK_STR(mail_subject_of(&arena, msg, len),
				    subject);
			}
		}
		static const char *const bad[][2] = {
			{ "pledge_confirm", "" },
			{ "pledge_confirm", "[]" },
			{ "pledge_confirm", "{}" },
			{ "pledge_confirm", "{\"lang\": \"xx\"}" },
			{ "pledge_confirm", "{\"lang\": \"es\", \"name\": 1}" },
			{ "pledge_confirm", "{\"lang\": \"es\", \"lang\": \"en\"}" },
			{ "no_such_kind", "{\"lang\": \"es\"}" },
			{ "newsletter_issue", "{\"lang\": \"es\"}" },
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char  *msg;
			size_t len;

			check_context("compose refuses row %zu", i);
			CHECK_INT(outbox_compose(&arena, &cfg, bad[i][0],
			    "z@y.example", bad[i][1], NULL, &msg, &len), -1);
		}
	}
	check_context("an event's .ics beside the variables");
	{
		struct config	       cfg = { .mail_from = "icommit@x.example",
			.base_url = "https://x.example" };
		static const char      cal[] = "BEGIN:VCALENDAR\r\n"
		    "SUMMARY:PreCOP\\, \"Belém\"\r\nEND:VCALENDAR\r\n";
		struct mail_attachment a = { .content_type = ICS_MAIL_TYPE,
			.filename = ICS_MAIL_NAME, .data = cal,
			.len = sizeof(cal) - 1 };
		struct prepared_mail   pm;
		char		      *msg, *old;
		size_t		       len;

		outbox_prepare(&arena, &cfg, MAIL_EVENT_REGISTERED, LANG_PT,
		    "z@y.example", "z@y.example", &v, &a, 1, &pm);
		CHECK(pm.msg == NULL && pm.vars != NULL);
		CHECK_STR(pm.ics, cal);
		CHECK(strstr(pm.vars, "VCALENDAR") == NULL);
		CHECK_INT(outbox_compose(&arena, &cfg, "event_registered",
		    "z@y.example", pm.vars, pm.ics, &msg, &len), 0);
		CHECK_STR(ics_part(&arena, msg), cal);
		CHECK(strstr(plain_part(&arena, msg), "PreCOP") != NULL);
		/* A mail queued before migration 016: the .ics in vars. */
		old = arena_alloc(&arena, strlen(pm.vars) + 64);
		snprintf(old, strlen(pm.vars) + 64, "%.*s,\"ics\":\"BEGIN:"
		    "VCALENDAR\\r\\nEND:VCALENDAR\\r\\n\"}",
		    (int)strlen(pm.vars) - 1, pm.vars);
		CHECK_INT(outbox_compose(&arena, &cfg, "event_registered",
		    "z@y.example", old, NULL, &msg, &len), 0);
		CHECK_STR(ics_part(&arena, msg),
		    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
		/* Without one: no attachment. */
		CHECK_INT(outbox_compose(&arena, &cfg, "event_registered",
		    "z@y.example", pm.vars, NULL, &msg, &len), 0);
		CHECK(ics_part(&arena, msg) == NULL);
	}
	check_context("subjects read back");
	{
		static const char *const subjects[] = {
			"s",
			"Plain ASCII subject",
			"Confirma tu compromiso con la movilidad eléctrica",
			"Je m’engage : « confirmez » votre engagement, s’il vous "
			    "plaît, avant la fin de la semaine prochaine — merci",
			"a=b? \"quoted\" ñ",
			"日本語の件名と、とても長いテキストがここに続きます。"
			    "折り返しのテストです。",
		};

		for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]);
		    i++) {
			struct mail m = { .from = "a@x.example",
				.to = "b@y.example", .subject = subjects[i],
				.text = "Subject: not this one" };
			size_t	    len;
			char	   *msg = mail_render(&arena, &m, &len);

			check_context("subject row %zu", i);
			CHECK_STR(mail_subject_of(&arena, msg, len), subjects[i]);
		}
		static const char *const raw[][2] = {
			{ "To: a\r\nSubject: =?utf-8?b?Y2Fmw6kgYXUgbGFpdA==?=\r\n\r\n",
			  "café au lait" },
			{ "Subject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\n",
			  "=?UTF-8?Q?caf=C3=A9?=" },
			{ "Subject: =?UTF-8?B?w7E=?= =?UTF-8?B?w7E=?= x\r\n\r\nb",
			  "ññ x" },
			{ "Subject: =?ISO-8859-1?Q?x?=\r\n\r\n",
			  "=?ISO-8859-1?Q?x?=" },
			{ "Subject: a\r\n  b\r\n\r\nSubject: c", "a  b" },
			{ "From: x\r\n\r\nSubject: body", NULL },
		};
		for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
			check_context("raw subject row %zu", i);
			CHECK_STR(mail_subject_of(&arena, raw[i][0],
			    strlen(raw[i][0])), raw[i][1]);
		}
		check_context("outbox_subject of nothing");
		CHECK(outbox_subject(&arena, "pledge_confirm", NULL, NULL, 0) ==
		    NULL);
		CHECK(outbox_subject(&arena, "pledge_confirm", "{}", NULL, 0) ==
		    NULL);
	}
	check_context("List-Unsubscribe");
	{
		struct mail m = { .from = "a@x.example", .to = "b@y.example",
			.subject = "Boletín", .text = "Hola" };
		size_t	    len;
		char	   *plain = mail_render(&arena, &m, &len);

		CHECK(strstr(plain, "List-Unsubscribe") == NULL);
		m.list_unsubscribe = "https://x.example/u?token=T";
		plain = mail_render(&arena, &m, &len);
		CHECK(strstr(plain, "\r\nList-Unsubscribe: "
		    "<https://x.example/u?token=T>\r\n") != NULL);
		CHECK(strstr(plain, "\r\nList-Unsubscribe-Post: "
		    "List-Unsubscribe=One-Click\r\n") != NULL);
	}
	arena_free(&arena);
	return check_done();
}
