/*
 * store.c: the SQLite implementation of store.h. Every statement is in the
 * table below, prepared once per connection and reset after use.
 */
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "log.h"
#include "store_impl.h"

#define CAMPAIGN_COLUMNS \
	"c.id, c.slug, c.title_es, c.title_en, c.title_pt, c.title_fr, " \
	"c.description_es, c.description_en, c.description_pt, " \
	"c.description_fr, c.goal, c.opens_at, c.closes_at, c.paused, " \
	"k.count, k.updated_at FROM campaigns c " \
	"JOIN campaign_counters k ON k.campaign_id = c.id "

#define PLEDGE_COLUMNS \
	"id, campaign_id, status, confirmed_at, name, email, email_key, " \
	"organisation, actor_type, country, city, commitment, category, " \
	"quantity, unit, target_year, public, language, created_at "

#define EVENT_COLUMNS \
	"id, slug, title_es, title_en, title_pt, title_fr, description_es, " \
	"description_en, description_pt, description_fr, starts_at, ends_at, " \
	"timezone, location, online_url, capacity, waitlist, " \
	"registration_closes_at, registered "
#define REG_COLUMNS \
	"id, event_id, status, waitlist_seq, name, email, email_key, " \
	"organisation, country, role, language, created_at, checked_in_at "

#define SUB_COLUMNS \
	"id, email, email_key, name, language, status, created_at, " \
	"confirmed_at, unsubscribed_at "
#define NL_COLUMNS \
	"id, subject_es, subject_en, subject_pt, subject_fr, body_es, " \
	"body_en, body_pt, body_fr, status, created_at, created_by, " \
	"send_started_at, sent_at, recipients, queued, cursor "
/* Everything about one mailbox is found by its normalised address :key.
 * A person's pledges are found through the UNIQUE (campaign_id, email_key)
 * index, one probe per campaign (migration 007 dropped the index on
 * email_key alone). */
#define PLEDGE_OF_KEY(key) \
	"campaign_id IN (SELECT id FROM campaigns) AND email_key = " key " "
#define ADDRESSES_OF_KEY \
	"SELECT email FROM pledges WHERE " PLEDGE_OF_KEY(":key") "UNION " \
	"SELECT email FROM registrations WHERE email_key = :key UNION " \
	"SELECT email FROM subscribers WHERE email_key = :key UNION " \
	"SELECT email FROM privacy_requests WHERE email_key = :key"
#define CONSENTS_OF_KEY \
	"(subject = 'pledge' AND ref_id IN (SELECT id FROM pledges " \
	"WHERE " PLEDGE_OF_KEY(":key") ")) OR (subject = 'registration' AND ref_id IN " \
	"(SELECT id FROM registrations WHERE email_key = :key)) OR " \
	"(subject = 'newsletter' AND ref_id IN (SELECT id FROM subscribers " \
	"WHERE email_key = :key)) "
/* Anonymising a pledge or registration: what counts stays (status,
 * country, actor type, category, quantity), who it was goes. */
#define PLEDGE_ERASE \
	"name = '', email = '', email_key = 'erased:' || id, " \
	"organisation = NULL, city = NULL, commitment = '', public = 0, " \
	"erased_at = coalesce(erased_at, :now) "
#define REG_ERASE \
	"name = '', email = '', email_key = 'erased:' || id, " \
	"organisation = NULL, role = NULL, " \
	"erased_at = coalesce(erased_at, :now) "
#define COMMENT_COLUMNS \
	"id, topic, name, email, message, language, consent_at, created_at, " \
	"handled_at, handled_by "
/* ?1 topic, ?2 'handled' or 'new' (NULL: any) */
#define COMMENT_FILTER \
	"(?1 IS NULL OR topic = ?1) AND (?2 IS NULL OR " \
	"(handled_at IS NOT NULL) = (?2 = 'handled')) "
/* A request reads like a consultant: its confirmed_at is the request's,
 * its updated_at its created_at. */
#define CONSULTANT_COLUMNS \
	"id, email, name, country, organisation, expertise, languages, " \
	"profile_url, bio, language, consent_at, created_at, confirmed_at, " \
	"updated_at "
#define CREQ_COLUMNS \
	"id, email, name, country, organisation, expertise, languages, " \
	"profile_url, bio, language, consent_at, created_at, confirmed_at, " \
	"created_at "
/* ?1 expertise, ?2 country, ?3 an FTS5 query (NULL: any) */
#define CONSULTANT_FILTER \
	"(?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.expertise) " \
	"WHERE value = ?1)) AND (?2 IS NULL OR c.country = ?2) " \
	"AND (?3 IS NULL OR c.id IN (SELECT rowid FROM consultants_fts " \
	"WHERE consultants_fts MATCH ?3)) "

static const char *const stmt_sql[STMT__MAX] = {
	[STMT_HEALTH] = "SELECT count(*) FROM schema_migrations",
	[STMT_SAVEPOINT] = "SAVEPOINT job",
	[STMT_RELEASE] = "RELEASE job",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO job",
	[STMT_CAMPAIGN_GET] = "SELECT " CAMPAIGN_COLUMNS "WHERE c.slug = ?",
	[STMT_CAMPAIGN_LIST] = "SELECT " CAMPAIGN_COLUMNS "ORDER BY c.slug",
	[STMT_CAMPAIGN_ADD] = "INSERT INTO campaigns (slug, title_es, "
	    "title_en, title_pt, title_fr, description_es, description_en, "
	    "description_pt, description_fr, goal, opens_at, closes_at, "
	    "paused, created_at, updated_at) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[STMT_CAMPAIGN_SLUG] = "SELECT slug FROM campaigns WHERE id = ?",
	[STMT_COUNTER_VALUE] = "SELECT count FROM campaign_counters "
	    "WHERE campaign_id = ?",
	[STMT_COUNTER_ADD] = "UPDATE campaign_counters SET count = count + ?2, "
	    "updated_at = ?3 WHERE campaign_id = ?1",
	[STMT_TALLY_ADD] = "INSERT INTO pledge_tallies (campaign_id, "
	    "dimension, key, value) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT DO UPDATE SET value = value + excluded.value",
	[STMT_TALLIES_GET] = "SELECT dimension, key, value FROM pledge_tallies "
	    "WHERE campaign_id = ? AND value != 0 ORDER BY dimension, key",
	[STMT_PLEDGE_FIND] = "SELECT id, status FROM pledges "
	    "WHERE campaign_id = ? AND email_key = ?",
	[STMT_PLEDGE_INSERT] = "INSERT INTO pledges (campaign_id, status, "
	    "confirmed_at, name, email, email_key, organisation, actor_type, "
	    "country, city, commitment, category, quantity, unit, target_year, "
	    "public, language, consent_at, created_at) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[STMT_PLEDGE_GET] = "SELECT " PLEDGE_COLUMNS "FROM pledges WHERE id = ?",
	[STMT_PLEDGE_SET_STATUS] = "UPDATE pledges SET status = ?2, "
	    "confirmed_at = coalesce(confirmed_at, ?3), "
	    "moderated_at = CASE WHEN ?2 IN ('approved', 'rejected') "
	    "THEN ?4 ELSE moderated_at END WHERE id = ?1",
	[STMT_WALL] = "SELECT " PLEDGE_COLUMNS "FROM pledges "
	    "WHERE campaign_id = ?1 AND public = 1 "
	    "AND status IN ('confirmed', 'approved') "
	    "AND (?2 = 0 OR status = 'approved') "
	    "AND (?3 IS NULL OR country = ?3) "
	    "AND (?4 IS NULL OR actor_type = ?4) "
	    "AND (?5 IS NULL OR category = ?5) "
	    "AND id < ?6 ORDER BY id DESC LIMIT ?7",
	[STMT_TOKEN_ADD] = "INSERT INTO tokens (hash, kind, ref_id, "
	    "created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
	[STMT_TOKEN_FIND] = "SELECT kind, ref_id, expires_at FROM tokens "
	    "WHERE hash = ?",
	[STMT_OUTBOX_ADD] = "INSERT INTO outbox (kind, recipient, message, "
	    "vars, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_OUTBOX_DUE] = "SELECT id, recipient, message, attempts, kind, "
	    "vars "
	    "FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
	    "ORDER BY next_attempt_at, id LIMIT ?",
	/* The last mail to an erased person leaves no address behind. */
	[STMT_OUTBOX_SENT] = "UPDATE outbox SET sent_at = ?2, message = NULL, "
	    "vars = NULL, "
	    "last_error = NULL, attempts = attempts + 1, recipient = CASE "
	    "WHEN kind = 'privacy_erased' THEN '' ELSE recipient END "
	    "WHERE id = ?1",
	[STMT_OUTBOX_RETRY] = "UPDATE outbox SET attempts = attempts + 1, "
	    "next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
	[STMT_OUTBOX_PENDING] = "SELECT id, kind, created_at, attempts, "
	    "next_attempt_at, last_error FROM outbox WHERE sent_at IS NULL "
	    "ORDER BY id",
	[STMT_QUOTA_TAKE] = "INSERT INTO mail_quota (address_hash, day, count) "
	    "VALUES (?1, ?2, 1) ON CONFLICT DO UPDATE SET count = count + 1 "
	    "WHERE count < ?3",
	[STMT_QUOTA_PURGE] = "DELETE FROM mail_quota WHERE day < ?",
	[STMT_USER_GET] = "SELECT id, username, password_hash, disabled "
	    "FROM users WHERE username = ?",
	[STMT_USER_ADD] = "INSERT INTO users (username, password_hash, "
	    "created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
	[STMT_USER_PASSWORD] = "UPDATE users SET password_hash = ?2, "
	    "updated_at = ?3 WHERE username = ?1",
	[STMT_USER_DISABLE] = "UPDATE users SET disabled = ?2, updated_at = ?3 "
	    "WHERE username = ?1",
	[STMT_USER_LIST] = "SELECT id, username, disabled, created_at "
	    "FROM users ORDER BY username",
	[STMT_SESSION_ADD] = "INSERT INTO sessions (hash, user_id, created_at, "
	    "expires_at) VALUES (?, ?, ?, ?)",
	[STMT_SESSION_GET] = "SELECT u.id, u.username, s.expires_at "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.hash = ? AND u.disabled = 0",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?",
	[STMT_SESSIONS_OF_USER_DELETE] = "DELETE FROM sessions WHERE user_id = "
	    "(SELECT id FROM users WHERE username = ?)",
	[STMT_SESSIONS_PURGE] = "DELETE FROM sessions WHERE expires_at < ?",
	[STMT_AUDIT_ADD] = "INSERT INTO audit (at, username, action, target, "
	    "detail) VALUES (?, ?, ?, ?, ?)",
	[STMT_AUDIT_LIST] = "SELECT id, at, username, action, target, detail "
	    "FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
	[STMT_ADMIN_PLEDGES] = "SELECT " PLEDGE_COLUMNS "FROM pledges "
	    "WHERE (?1 IS NULL OR campaign_id = ?1) "
	    "AND (?2 IS NULL OR status = ?2) AND id < ?3 "
	    "ORDER BY id DESC LIMIT ?4",
	[STMT_CAMPAIGN_UPDATE] = "UPDATE campaigns SET title_es = ?2, "
	    "title_en = ?3, title_pt = ?4, title_fr = ?5, description_es = ?6, "
	    "description_en = ?7, description_pt = ?8, description_fr = ?9, "
	    "goal = ?10, opens_at = ?11, closes_at = ?12, paused = ?13, "
	    "updated_at = ?14 WHERE slug = ?1",
	[STMT_EXPORT_PLEDGES] = "SELECT id, created_at, confirmed_at, status, "
	    "name, email, organisation, actor_type, country, city, category, "
	    "quantity, unit, target_year, language, public, commitment "
	    "FROM pledges WHERE (?1 IS NULL OR campaign_id = ?1) "
	    "AND (?2 IS NULL OR status = ?2) "
	    "AND (?3 IS NULL OR created_at >= ?3) "
	    "AND (?4 IS NULL OR created_at < ?4) ORDER BY id",
	[STMT_EVENT_GET] = "SELECT " EVENT_COLUMNS "FROM events WHERE slug = ?",
	[STMT_EVENT_GET_ID] = "SELECT " EVENT_COLUMNS "FROM events WHERE id = ?",
	[STMT_EVENT_UPCOMING] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE ends_at >= ? ORDER BY starts_at, id",
	[STMT_EVENT_PAST] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE ends_at < ? ORDER BY starts_at DESC, id",
	[STMT_EVENT_ADD] = "INSERT INTO events (slug, title_es, title_en, "
	    "title_pt, title_fr, description_es, description_en, "
	    "description_pt, description_fr, starts_at, ends_at, timezone, "
	    "location, online_url, capacity, waitlist, registration_closes_at, "
	    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)",
	[STMT_EVENT_UPDATE] = "UPDATE events SET title_es = ?2, title_en = ?3, "
	    "title_pt = ?4, title_fr = ?5, description_es = ?6, "
	    "description_en = ?7, description_pt = ?8, description_fr = ?9, "
	    "starts_at = ?10, ends_at = ?11, timezone = ?12, location = ?13, "
	    "online_url = ?14, capacity = ?15, waitlist = ?16, "
	    "registration_closes_at = ?17, updated_at = ?18 WHERE slug = ?1",
	[STMT_EVENT_REGISTERED_ADD] = "UPDATE events SET registered = "
	    "registered + ?2 WHERE id = ?1",
	[STMT_EVENT_REMINDER_DUE] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE reminder_sent_at IS NULL AND starts_at > ?1 "
	    "AND starts_at <= ?1 + 86400 ORDER BY starts_at LIMIT 1",
	[STMT_EVENT_REMINDED] = "UPDATE events SET reminder_sent_at = ?2 "
	    "WHERE id = ?1",
	[STMT_REG_FIND] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ? AND email_key = ?",
	[STMT_REG_INSERT] = "INSERT INTO registrations (event_id, status, "
	    "waitlist_seq, name, email, email_key, organisation, country, role, "
	    "language, consent_at, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
	[STMT_REG_GET] = "SELECT " REG_COLUMNS "FROM registrations WHERE id = ?",
	[STMT_REG_SET_STATUS] = "UPDATE registrations SET status = ?2, "
	    "waitlist_seq = ?3, cancelled_at = CASE WHEN ?2 = 'cancelled' "
	    "THEN ?4 ELSE cancelled_at END WHERE id = ?1",
	[STMT_REG_WAITLIST_FIRST] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ? AND status = 'waitlisted' "
	    "ORDER BY waitlist_seq LIMIT 1",
	[STMT_REG_WAITLIST_POS] = "SELECT count(*) FROM registrations "
	    "WHERE event_id = ? AND status = 'waitlisted' AND waitlist_seq <= ?",
	[STMT_REG_WAITLIST_NEXT] = "SELECT coalesce(max(waitlist_seq), 0) + 1 "
	    "FROM registrations WHERE event_id = ?",
	[STMT_REG_SEARCH] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ?1 AND status != 'cancelled' AND (?2 IS NULL OR "
	    "name LIKE '%' || ?2 || '%' ESCAPE '\\') ORDER BY name, id LIMIT 500",
	[STMT_REG_CHECKIN] = "UPDATE registrations SET checked_in_at = ?2 "
	    "WHERE id = ?1 AND status = 'registered'",
	[STMT_REG_OF_EVENT] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ? AND status = 'registered' ORDER BY id",
	[STMT_REG_CHECKED_IN] = "SELECT count(*) FROM registrations "
	    "WHERE event_id = ? AND status = 'registered' "
	    "AND checked_in_at IS NOT NULL",
	[STMT_EXPORT_REGISTRATIONS] = "SELECT id, created_at, status, "
	    "(SELECT count(*) FROM registrations w WHERE w.event_id = "
	    "r.event_id AND w.status = 'waitlisted' AND w.waitlist_seq <= "
	    "r.waitlist_seq AND r.status = 'waitlisted'), name, email, "
	    "organisation, country, role, language, checked_in_at "
	    "FROM registrations r WHERE event_id = ? ORDER BY id",
	/* ---- newsletter, consent and personal data (store_privacy.c) ---- */
	[STMT_SUB_FIND] = "SELECT " SUB_COLUMNS "FROM subscribers "
	    "WHERE email_key = ?",
	[STMT_SUB_GET] = "SELECT " SUB_COLUMNS "FROM subscribers WHERE id = ?",
	[STMT_SUB_ADD] = "INSERT INTO subscribers (email, email_key, name, "
	    "language, status, created_at) VALUES (?1, ?2, ?3, ?4, "
	    "'pending_confirmation', ?5)",
	[STMT_SUB_RENEW] = "UPDATE subscribers SET email = ?1, email_key = ?2, "
	    "name = ?3, language = ?4, status = 'pending_confirmation', "
	    "created_at = ?5, confirmed_at = NULL, unsubscribed_at = NULL "
	    "WHERE id = ?6",
	[STMT_SUB_SET_STATUS] = "UPDATE subscribers SET status = ?2, "
	    "confirmed_at = CASE WHEN ?2 = 'subscribed' THEN ?3 "
	    "ELSE confirmed_at END, unsubscribed_at = CASE WHEN "
	    "?2 = 'unsubscribed' THEN ?3 ELSE NULL END WHERE id = ?1",
	[STMT_SUB_AFTER] = "SELECT " SUB_COLUMNS "FROM subscribers "
	    "WHERE status = 'subscribed' AND id > ?1 ORDER BY id LIMIT ?2",
	[STMT_SUB_COUNT] = "SELECT count(*) FROM subscribers "
	    "WHERE status = 'subscribed'",
	[STMT_SUB_EXPORT] = "SELECT id, created_at, confirmed_at, status, "
	    "email, name, language, (SELECT notice_version "
	    "FROM consents k WHERE k.subject = 'newsletter' AND k.ref_id = "
	    "subscribers.id ORDER BY k.id DESC LIMIT 1) FROM subscribers "
	    "ORDER BY id",
	[STMT_CONSENT_ADD] = "INSERT INTO consents (subject, ref_id, given_at, "
	    "client_ip, notice_version, language, source) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_CONSENT_WITHDRAW] = "UPDATE consents SET withdrawn_at = ?3 "
	    "WHERE subject = ?1 AND ref_id = ?2 AND withdrawn_at IS NULL",
	[STMT_NL_ADD] = "INSERT INTO newsletters (subject_es, subject_en, "
	    "subject_pt, subject_fr, body_es, body_en, body_pt, body_fr, "
	    "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_NL_GET] = "SELECT " NL_COLUMNS "FROM newsletters WHERE id = ?",
	[STMT_NL_LIST] = "SELECT " NL_COLUMNS "FROM newsletters "
	    "ORDER BY id DESC LIMIT 200",
	[STMT_NL_SENDING] = "SELECT " NL_COLUMNS "FROM newsletters "
	    "WHERE status = 'sending' ORDER BY id LIMIT 1",
	[STMT_NL_START] = "UPDATE newsletters SET status = 'sending', "
	    "send_started_at = ?2, recipients = (SELECT count(*) FROM "
	    "subscribers WHERE status = 'subscribed') "
	    "WHERE id = ?1 AND status = 'draft'",
	[STMT_NL_PROGRESS] = "UPDATE newsletters SET cursor = ?2, "
	    "queued = queued + ?3, status = CASE WHEN ?4 THEN 'sent' "
	    "ELSE status END, sent_at = CASE WHEN ?4 THEN ?5 ELSE sent_at END "
	    "WHERE id = ?1",
	[STMT_OUTBOX_UNSENT_KIND] = "SELECT count(*) FROM outbox "
	    "WHERE sent_at IS NULL AND kind = ?",
	[STMT_PRIV_REQUEST_ADD] = "INSERT INTO privacy_requests (email, "
	    "email_key, created_at) VALUES (?, ?, ?)",
	[STMT_PRIV_REQUEST_GET] = "SELECT email, email_key, created_at "
	    "FROM privacy_requests WHERE id = ?",
	[STMT_PRIV_KNOWN] = "SELECT EXISTS (SELECT 1 FROM pledges "
	    "WHERE " PLEDGE_OF_KEY("?1") ") OR EXISTS (SELECT 1 FROM registrations "
	    "WHERE email_key = ?1) OR EXISTS (SELECT 1 FROM subscribers "
	    "WHERE email_key = ?1)",
	[STMT_PRIV_X_PLEDGES] = "SELECT p.id, c.slug AS campaign, p.status, "
	    "p.name, p.email, p.organisation, p.actor_type, p.country, p.city, "
	    "p.commitment, p.category, p.quantity, p.unit, p.target_year, "
	    "p.public, p.language, p.created_at, p.confirmed_at, "
	    "p.moderated_at FROM pledges p JOIN campaigns c "
	    "ON c.id = p.campaign_id WHERE p." PLEDGE_OF_KEY("?1")
	    "ORDER BY p.id",
	[STMT_PRIV_X_REGISTRATIONS] = "SELECT r.id, e.slug AS event, "
	    "r.status, r.name, r.email, r.organisation, r.country, r.role, "
	    "r.language, r.created_at, r.cancelled_at, r.checked_in_at "
	    "FROM registrations r JOIN events e ON e.id = r.event_id "
	    "WHERE r.email_key = ?1 ORDER BY r.id",
	[STMT_PRIV_X_SUBSCRIPTIONS] = "SELECT id, email, name, language, "
	    "status, created_at, confirmed_at, unsubscribed_at "
	    "FROM subscribers WHERE email_key = ?1",
	[STMT_PRIV_X_CONSENTS] = "SELECT subject, ref_id, given_at, client_ip, "
	    "notice_version, language, source, withdrawn_at FROM consents "
	    "WHERE " CONSENTS_OF_KEY "ORDER BY id",
	[STMT_PRIV_X_MAILS] = "SELECT id, kind, recipient, created_at, "
	    "sent_at, attempts FROM outbox WHERE recipient IN "
	    "(" ADDRESSES_OF_KEY ") ORDER BY id",
	[STMT_PRIV_ADDRESSES] = ADDRESSES_OF_KEY,
	[STMT_PRIV_OUTBOX_DELETE] = "DELETE FROM outbox WHERE recipient IN "
	    "(" ADDRESSES_OF_KEY ")",
	[STMT_PRIV_CONSENTS_DELETE] = "DELETE FROM consents WHERE "
	    CONSENTS_OF_KEY,
	[STMT_PRIV_TOKENS_DELETE] = "DELETE FROM tokens WHERE (kind = 'pledge' "
	    "AND ref_id IN (SELECT id FROM pledges WHERE "
	    PLEDGE_OF_KEY(":key") ")) OR "
	    "(kind = 'registration' AND ref_id IN (SELECT id FROM "
	    "registrations WHERE email_key = :key)) OR (kind IN ('newsletter', "
	    "'unsubscribe') AND ref_id IN (SELECT id FROM subscribers WHERE "
	    "email_key = :key)) OR (kind = 'privacy' AND ref_id IN (SELECT id "
	    "FROM privacy_requests WHERE email_key = :key))",
	/* Unconfirmed pledges were never counted: they go. */
	[STMT_PRIV_PLEDGES_DELETE] = "DELETE FROM pledges WHERE "
	    PLEDGE_OF_KEY(":key") "AND status = 'pending_confirmation'",
	[STMT_PRIV_PLEDGES_ERASE] = "UPDATE pledges SET " PLEDGE_ERASE
	    "WHERE " PLEDGE_OF_KEY(":key"),
	[STMT_PRIV_REGS_ERASE] = "UPDATE registrations SET " REG_ERASE
	    "WHERE email_key = :key",
	[STMT_PRIV_SUBS_DELETE] = "DELETE FROM subscribers WHERE email_key = :key",
	[STMT_PRIV_QUOTA_DELETE] = "DELETE FROM mail_quota "
	    "WHERE address_hash = :hash",
	[STMT_PRIV_OUTBOX_RECIPIENT_DELETE] = "DELETE FROM outbox "
	    "WHERE recipient = ?",
	[STMT_PRIV_REQUESTS_DELETE] = "DELETE FROM privacy_requests "
	    "WHERE email_key = :key",
	/* The erasure and the purge bind by name: :key (a normalised
	 * address), :hash (its SHA-256), :now, :stale (the cut-off of
	 * unconfirmed sign-ups, 30 days) and :retention (campaigns and events
	 * that ended before it are anonymised; NULL when retention_days is
	 * 0). */
	[STMT_PURGE_PLEDGES_UNCONFIRMED] = "DELETE FROM pledges "
	    "WHERE status = 'pending_confirmation' AND created_at < :stale",
	[STMT_PURGE_SUBS_STALE] = "DELETE FROM subscribers WHERE "
	    "(status = 'pending_confirmation' AND created_at < :stale) OR "
	    "(status = 'unsubscribed' AND unsubscribed_at < :stale)",
	[STMT_PURGE_PLEDGES_ENDED] = "UPDATE pledges SET " PLEDGE_ERASE
	    "WHERE :retention IS NOT NULL AND erased_at IS NULL AND campaign_id IN "
	    "(SELECT id FROM campaigns WHERE closes_at < :retention)",
	[STMT_PURGE_REGS_ENDED] = "UPDATE registrations SET " REG_ERASE
	    "WHERE :retention IS NOT NULL AND erased_at IS NULL AND event_id IN "
	    "(SELECT id FROM events WHERE ends_at < :retention)",
	[STMT_PURGE_CONSENTS_ORPHANED] = "DELETE FROM consents WHERE "
	    "(subject = 'pledge' AND ref_id NOT IN (SELECT id FROM pledges)) "
	    "OR (subject = 'registration' AND ref_id NOT IN "
	    "(SELECT id FROM registrations)) OR (subject = 'newsletter' AND "
	    "ref_id NOT IN (SELECT id FROM subscribers))",
	[STMT_PURGE_CONSENTS_ANONYMISE] = "UPDATE consents SET client_ip = NULL "
	    "WHERE client_ip IS NOT NULL AND ((subject = 'pledge' AND ref_id IN "
	    "(SELECT id FROM pledges WHERE erased_at IS NOT NULL)) OR "
	    "(subject = 'registration' AND ref_id IN (SELECT id FROM "
	    "registrations WHERE erased_at IS NOT NULL)))",
	/* Expired tokens, and those whose row is gone (so that no link can
	 * ever reach a row that took over a deleted one's id). */
	[STMT_PURGE_TOKENS] = "DELETE FROM tokens WHERE expires_at < :now OR "
	    "(kind = 'pledge' AND ref_id NOT IN (SELECT id FROM pledges)) OR "
	    "(kind = 'registration' AND ref_id NOT IN "
	    "(SELECT id FROM registrations)) OR (kind IN ('newsletter', "
	    "'unsubscribe') AND ref_id NOT IN (SELECT id FROM subscribers))",
	[STMT_PURGE_REQUESTS] = "DELETE FROM privacy_requests "
	    "WHERE created_at < :now - 86400",
	[STMT_PURGE_OUTBOX_SENT] = "DELETE FROM outbox "
	    "WHERE sent_at IS NOT NULL AND sent_at < :stale",

	/* ---- comments and consultants (store_consultants.c) ---- */
	[STMT_COMMENT_INSERT] = "INSERT INTO comments (topic, name, email, "
	    "message, language, consent_at, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_COMMENT_LIST] = "SELECT " COMMENT_COLUMNS "FROM comments "
	    "WHERE " COMMENT_FILTER "AND id < ?3 ORDER BY id DESC LIMIT ?4",
	[STMT_COMMENT_HANDLED] = "UPDATE comments SET handled_at = ?2, "
	    "handled_by = ?3 WHERE id = ?1",
	[STMT_COMMENT_EXPORT] = "SELECT id, created_at, topic, language, name, "
	    "email, message, handled_at, handled_by FROM comments "
	    "WHERE " COMMENT_FILTER "ORDER BY id",
	[STMT_COMMENT_OF_EMAIL] = "SELECT " COMMENT_COLUMNS "FROM comments "
	    "WHERE email = ? ORDER BY id",
	[STMT_COMMENT_ERASE] = "DELETE FROM comments WHERE email = ?",
	/* A repeat replaces the address's request with a new row (new id),
	 * so only the latest link can confirm. */
	[STMT_CREQ_PUT] = "INSERT OR REPLACE INTO consultant_requests (email, "
	    "name, country, organisation, expertise, languages, profile_url, "
	    "bio, language, consent_at, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_CREQ_GET] = "SELECT " CREQ_COLUMNS "FROM consultant_requests "
	    "WHERE id = ?",
	[STMT_CREQ_CONFIRMED] = "UPDATE consultant_requests "
	    "SET confirmed_at = ?2 WHERE id = ?1",
	[STMT_CREQ_OF_EMAIL] = "SELECT " CREQ_COLUMNS "FROM consultant_requests "
	    "WHERE email = ?",
	[STMT_CREQ_ERASE] = "DELETE FROM consultant_requests WHERE email = ?",
	[STMT_CREQ_PURGE] = "DELETE FROM consultant_requests "
	    "WHERE created_at < ?",
	[STMT_CONSULTANT_UPSERT] = "INSERT INTO consultants (email, name, "
	    "country, organisation, expertise, languages, profile_url, bio, "
	    "language, consent_at, created_at, confirmed_at, updated_at) "
	    "SELECT email, name, country, organisation, expertise, languages, "
	    "profile_url, bio, language, consent_at, created_at, ?2, ?2 "
	    "FROM consultant_requests WHERE id = ?1 "
	    "ON CONFLICT (email) DO UPDATE SET name = excluded.name, "
	    "country = excluded.country, organisation = excluded.organisation, "
	    "expertise = excluded.expertise, languages = excluded.languages, "
	    "profile_url = excluded.profile_url, bio = excluded.bio, "
	    "language = excluded.language, consent_at = excluded.consent_at, "
	    "confirmed_at = excluded.confirmed_at, "
	    "updated_at = excluded.updated_at",
	[STMT_CONSULTANT_LIST] = "SELECT " CONSULTANT_COLUMNS "FROM consultants c "
	    "WHERE " CONSULTANT_FILTER "AND id < ?4 ORDER BY id DESC LIMIT ?5",
	[STMT_CONSULTANT_EXPORT] = "SELECT id, created_at, confirmed_at, name, "
	    "email, country, organisation, "
	    "(SELECT group_concat(value, ' ') FROM json_each(c.expertise)), "
	    "(SELECT group_concat(value, ' ') FROM json_each(c.languages)), "
	    "profile_url, bio FROM consultants c WHERE " CONSULTANT_FILTER
	    "ORDER BY id",
	[STMT_CONSULTANT_OF_EMAIL] = "SELECT " CONSULTANT_COLUMNS
	    "FROM consultants WHERE email = ?",
	[STMT_CONSULTANT_ERASE] = "DELETE FROM consultants WHERE email = ?",
	[STMT_CONSULTANT_FTS_OPTIMIZE] = "INSERT INTO consultants_fts "
	    "(consultants_fts) VALUES ('optimize')",
	[STMT_PERSON_KNOWN] = "SELECT EXISTS (SELECT 1 FROM comments "
	    "WHERE email = ?1) OR EXISTS (SELECT 1 FROM consultants "
	    "WHERE email = ?1) OR EXISTS (SELECT 1 FROM consultant_requests "
	    "WHERE email = ?1)",
};

const char *
campaign_status(const struct campaign *c, int64_t now)
{
	if (c->paused)
		return "paused";
	if (c->has_opens_at && now < c->opens_at)
		return "upcoming";
	if (c->has_closes_at && now > c->closes_at)
		return "closed";
	return "open";
}

struct store *
store_open(const char *path, bool create, bool migrate, char *err,
    size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	int	      applied, version;

	if (s == NULL)
		log_fatal("out of memory");
	if (db_open(path, create ? DB_OPEN_CREATE : 0, &s->db, err, errlen) != 0) {
		/* On a read-only file system SQLite cannot set up WAL: serve
		 * reads from an immutable view; writes get 503 until the
		 * writer finds the file writable again. */
		char err2[256];

		if (access(path, F_OK) != 0 || db_open(path, DB_OPEN_IMMUTABLE,
		    &s->db, err2, sizeof(err2)) != 0)
			goto fail;
		s->readonly = true;
		migrate = false;
	}
	if (migrate && db_migrate(s->db, &applied, err, errlen) != 0)
		goto fail;
	version = db_schema_version(s->db);
	if (version != db_schema_latest()) {
		snprintf(err, errlen, "%s: database schema is at version %d, "
		    "this program needs %d: run icommitctl init (or migrate)",
		    path, version, db_schema_latest());
		goto fail;
	}
	/* Opened to create or migrate (icommitctl, the daemon's start):
	 * every statement is prepared now, so that one the schema cannot
	 * run is reported at once. Otherwise (the daemon's threads) each is
	 * prepared at its first use: a worker that only reads never holds
	 * the memory of the hundred-odd others. */
	for (int i = 0; (create || migrate) && i < STMT__MAX; i++) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL);

		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: preparing statement %d: %s",
			    path, i, sqlite3_errmsg(s->db));
			goto fail;
		}
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

sqlite3_stmt *
store_stmt(struct store *s, enum stmt id)
{
	int rc;

	if (s->stmt[id] != NULL)
		return s->stmt[id];
	rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL);
	if (rc != SQLITE_OK)
		log_fatal("preparing statement %d: %s", (int)id,
		    sqlite3_errmsg(s->db));
	return s->stmt[id];
}

static atomic_uint store_gen;

bool
store_readonly(const struct store *s)
{
	return s->readonly;
}

unsigned
store_generation(void)
{
	return atomic_load(&store_gen);
}

void
store_generation_bump(void)
{
	atomic_fetch_add(&store_gen, 1);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s);
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

/* Logs an unexpected SQLite failure and maps it; resets the statement. */
enum db_err
store_fail(struct store *s, sqlite3_stmt *st, int rc, const char *what)
{
	enum db_err e = db_err_from_sqlite(rc);

	log_error("%s: %s (%d)", what, sqlite3_errmsg(s->db), rc);
	sqlite3_reset(st);
	return e;
}

enum db_err
store_health(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, STMT_HEALTH);
	int	      rc = sqlite3_step(st);

	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "health");
	sqlite3_reset(st);
	return DB_OK;
}

const char *
col_text(struct arena *arena, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	if (t == NULL)
		return NULL;
	return arena_strndup(arena, (const char *)t,
	    (size_t)sqlite3_column_bytes(st, col));
}

/* Reads one row of CAMPAIGN_COLUMNS. */
static void
campaign_read(struct arena *arena, sqlite3_stmt *st, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->slug = col_text(arena, st, 1);
	for (int l = 0; l < LANG__MAX; l++) {
		c->title[l] = col_text(arena, st, 2 + l);
		c->description[l] = col_text(arena, st, 6 + l);
	}
	c->has_goal = sqlite3_column_type(st, 10) != SQLITE_NULL;
	c->goal = sqlite3_column_int64(st, 10);
	c->has_opens_at = sqlite3_column_type(st, 11) != SQLITE_NULL;
	c->opens_at = sqlite3_column_int64(st, 11);
	c->has_closes_at = sqlite3_column_type(st, 12) != SQLITE_NULL;
	c->closes_at = sqlite3_column_int64(st, 12);
	c->paused = sqlite3_column_int(st, 13) != 0;
	c->count = sqlite3_column_int64(st, 14);
	c->count_updated_at = sqlite3_column_int64(st, 15);
}

enum db_err
store_campaign_get(struct store *s, struct arena *arena, const char *slug,
    struct campaign *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAMPAIGN_GET);
	int	      rc;

	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "campaign get");
	campaign_read(arena, st, out);
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_campaign_list(struct store *s, struct arena *arena,
    store_campaign_fn fn, void *arg)
{
	sqlite3_stmt   *st = store_stmt(s, STMT_CAMPAIGN_LIST);
	struct campaign c;
	int		rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		campaign_read(arena, st, &c);
		if (fn(&c, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "campaign list");
	sqlite3_reset(st);
	return DB_OK;
}

void
bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

enum db_err
store_exec(struct store *s, enum stmt id, const char *what)
{
	sqlite3_stmt *st = store_stmt(s, id);
	int	      rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		enum db_err e = store_fail(s, st, rc, what);

		sqlite3_clear_bindings(st);
		return e;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return DB_OK;
}

enum db_err
store_savepoint(struct store *s)
{
	return store_exec(s, STMT_SAVEPOINT, "savepoint");
}

enum db_err
store_release(struct store *s)
{
	return store_exec(s, STMT_RELEASE, "release");
}

enum db_err
store_rollback_to(struct store *s)
{
	enum db_err e = store_exec(s, STMT_ROLLBACK_TO, "rollback to");

	if (e == DB_OK)
		e = store_exec(s, STMT_RELEASE, "release");
	return e;
}

void
store_checkpoint(struct store *s)
{
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_error("checkpoint: %s", sqlite3_errmsg(s->db));
}

void
bind_opt_int64(sqlite3_stmt *st, int i, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

enum db_err
store_campaign_add(struct store *s, struct campaign *c)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAMPAIGN_ADD);
	int64_t	      now = now_unix();
	int	      rc;

	sqlite3_bind_text(st, 1, c->slug, -1, SQLITE_STATIC);
	for (int l = 0; l < LANG__MAX; l++) {
		sqlite3_bind_text(st, 2 + l, c->title[l], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6 + l, c->description[l] ?
		    c->description[l] : "", -1, SQLITE_STATIC);
	}
	bind_opt_int64(st, 10, c->has_goal, c->goal);
	bind_opt_int64(st, 11, c->has_opens_at, c->opens_at);
	bind_opt_int64(st, 12, c->has_closes_at, c->closes_at);
	sqlite3_bind_int(st, 13, c->paused);
	sqlite3_bind_int64(st, 14, now);
	sqlite3_bind_int64(st, 15, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, "campaign add");

		sqlite3_clear_bindings(st);
		return e;
	}
	c->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return DB_OK;
}

enum db_err
store_counter_value(struct store *s, int64_t campaign_id, int64_t *count)
{
	sqlite3_stmt *st = store_stmt(s, STMT_COUNTER_VALUE);
	int	      rc;

	sqlite3_bind_int64(st, 1, campaign_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "counter value");
	*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_campaign_slug(struct store *s, struct arena *arena, int64_t id,
    const char **slug)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAMPAIGN_SLUG);
	int	      rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "campaign slug");
	*slug = col_text(arena, st, 0);
	sqlite3_reset(st);
	return DB_OK;
}

/* Steps a single-row lookup: DB_OK with a row, DB_NOTFOUND, or failure. */
enum db_err
store_step_row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return DB_OK;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return DB_NOTFOUND;
	}
	return store_fail(s, st, rc, what);
}

void
store_row_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

enum db_err
store_stream_rows(struct store *s, sqlite3_stmt *st, int ncols,
    store_row_fn fn, void *arg, const char *what)
{
	const char *cols[32];
	int	    rc;

	if (ncols > 32)
		ncols = 32;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		if (fn(cols, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, what);
	store_row_done(st);
	return DB_OK;
}

bool
store_refresh(struct store **s, unsigned *generation, const char *path)
{
	char	      err[256];
	struct store *fresh;

	if (*generation == store_generation())
		return false;
	*generation = store_generation();
	if ((fresh = store_open(path, false, false, err, sizeof(err))) == NULL) {
		log_error("reopening %s: %s", path, err);
		return false;
	}
	store_close(*s);
	*s = fresh;
	return true;
}
