/*
 * mailtext.h: the words of every mail, in Spanish, English, Portuguese and
 * French, with {placeholders} filled in per message.
 */
#ifndef ICOMMIT_MAILTEXT_H
#define ICOMMIT_MAILTEXT_H

#include <stdbool.h>

#include "arena.h"
#include "util.h"

enum mail_kind {
	MAIL_PLEDGE_CONFIRM,	  /* {name} {campaign} {link} */
	MAIL_PLEDGE_ALREADY,	  /* {campaign}: a repeat of a confirmed pledge */
	MAIL_PLEDGE_ALREADY_PENDING, /* {campaign} {link}: repeat, not yet confirmed */
	MAIL_EVENT_REGISTERED,	  /* {name} {event} {when} {link}=cancel, .ics */
	MAIL_EVENT_WAITLISTED,	  /* {name} {event} {position} {link}=cancel */
	MAIL_EVENT_PROMOTED,	  /* {name} {event} {when} {link}=cancel, .ics */
	MAIL_EVENT_CANCELLED,	  /* {name} {event} */
	MAIL_EVENT_REMINDER,	  /* {name} {event} {when} {link}=cancel */
	/* newsletter and personal data (newsletter.c, privacy.c) */
	MAIL_NEWSLETTER_CONFIRM,  /* {link}: double opt-in */
	MAIL_NEWSLETTER_ALREADY,  /* a repeat of a confirmed subscription */
	MAIL_NEWSLETTER_ISSUE,	  /* no template: staff write the text */
	MAIL_PRIVACY_LINK,	  /* {link}: to export or erase one's data */
	MAIL_PRIVACY_ERASED,	  /* the erasure is done */
	/* comments and consultants */
	MAIL_COMMENT_NOTIFY,	  /* to staff: {topic} {name} {email} {message} {link} */
	MAIL_CONSULTANT_CONFIRM,  /* {name} {link} */
	MAIL__MAX
};

/* The kind's name as stored in outbox.kind. */
extern const char *const mail_kind_names[MAIL__MAX];

/* Whether the kind counts against the daily quota per address: mails that
 * anyone can trigger again and again for an address (pledge repeats). Event
 * mails are not limited: each follows one registration per event, and the
 * registration mail carries the only cancel link. */
extern const bool mail_kind_limited[MAIL__MAX];

struct mail_vars {
	const char *name;
	const char *campaign;
	const char *link;
	const char *event;	/* an event's title */
	const char *when;	/* its start, as people read it */
	const char *position;	/* on the waitlist */
	/* comments and consultants */
	const char *topic;	/* of a comment */
	const char *email;	/* a comment's sender, for staff */
	const char *message;	/* a comment's text, for staff */
};

/*
 * Fills the subject and plain-text body of kind in lang with vars.
 * Results come from arena.
 */
void	mailtext_render(struct arena *arena, enum mail_kind kind,
	    enum lang lang, const struct mail_vars *vars, const char **subject,
	    const char **text);

/* The sender's display name ("I COMMIT"). */
#define MAIL_FROM_NAME "I COMMIT"

#endif
