/*
 * test_mailtext.c: every mail template exists in the four languages, names
 * its kind, fills its placeholders, and leaves none behind; every rendered
 * message is well-formed MIME with the List-Unsubscribe headers only when
 * asked.
 */
#include <string.h>

#include "check.h"
#include "mailmsg.h"
#include "mailtext.h"

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
