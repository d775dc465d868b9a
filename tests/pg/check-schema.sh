#!/usr/bin/env bash
# check-schema.sh: the PostgreSQL migrations (sql/pg/) against the SQLite
# ones (sql/sqlite/, or sql/ before the move).
#   tests/pg/check-schema.sh [REPO_ROOT]
# 1. Both directories hold the same migrations (numbers and names).
# 2. On a throwaway cluster (scripts/lib/pg.sh; or the running one named by
#    ICOMMIT_PG_HOST and ICOMMIT_PG_PORT): two migrators started at once on
#    an empty database both succeed and apply each migration once, and a
#    third run applies nothing (the protocol of sql/pg/README.md).
# 3. The schema equals SQLite's: tables, columns in order (type class,
#    NOT NULL, default), named indexes, triggers, less the documented
#    differences (PG_ONLY, SQLITE_ONLY below).
# 4. What the translation must keep doing: the counter trigger, the slug
#    CHECK, 008's email_key backfill (the same rows through both engines),
#    the accent-blind prefix search and its index, the waitlist backstop,
#    INSERT ... ON CONFLICT ... SET id = DEFAULT giving a new id.
# Exits 0 when all holds, 1 on a difference, 77 (skipped) without
# PostgreSQL's server or the sqlite3 CLI.
set -uo pipefail
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd) || exit 1
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"

# The documented differences (sql/pg/README.md), as lines of the listings
# below: "table.column ...", "index NAME ON TABLE", "trigger NAME ON TABLE".
PG_ONLY='^(login_attempts\.|outbox\.claimed_(by|until) |index login_attempts_window |index consultants_search )'
SQLITE_ONLY='^(consultants_fts|trigger consultants_fts_)'

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
pass() {
	echo "ok: $*"
}

if [[ -d $root/sql/sqlite ]]; then
	lite_dir=$root/sql/sqlite
else
	lite_dir=$root/sql
fi
pg_dir=$root/sql/pg

# --- 1. the same migrations on both sides --------------------------------
names() {
	(cd "$1" && ls [0-9][0-9][0-9]_*.sql) 2>/dev/null
}
if diff <(names "$lite_dir") <(names "$pg_dir") >/dev/null; then
	pass "sql/pg has a twin of each of the $(names "$lite_dir" | wc -l) migrations of ${lite_dir#"$root"/}"
else
	fail "migrations differ (< ${lite_dir#"$root"/}, > sql/pg):"
	diff <(names "$lite_dir") <(names "$pg_dir") | sed -n 's/^[<>]/  &/p'
fi

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "skipped: no sqlite3 CLI"
	exit 77
fi
if ! pg_find_bin; then
	echo "skipped: PostgreSQL's server is not installed (initdb, pg_ctl)"
	((failures == 0)) || exit 1
	exit 77
fi
psql_bin=$ICOMMIT_PG_BIN/psql

work=$(mktemp -d "${TMPDIR:-/tmp}/icommit-pgcheck.XXXXXX") || exit 1
cluster=
cleanup() {
	[[ -n $cluster ]] && pg_stop "$cluster" immediate
	rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"

if [[ -n ${ICOMMIT_PG_HOST:-} && -n ${ICOMMIT_PG_PORT:-} ]]; then
	host=$ICOMMIT_PG_HOST port=$ICOMMIT_PG_PORT
else
	cluster=$work/pg
	pg_start "$cluster" >/dev/null || { echo "FAIL: could not start a cluster"; exit 1; }
	host=$ICOMMIT_PG_HOST port=$ICOMMIT_PG_PORT
fi
dbs=()
db_suffix=$$_$RANDOM

# q DB ARGS...: psql on DB as the icommit role, tuples only, unaligned.
q() {
	local db=$1
	shift
	"$psql_bin" -X -q -A -t -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U icommit -d "$db" "$@"
}
# su_q ARGS...: psql as the superuser on the postgres database.
su_q() {
	"$psql_bin" -X -q -A -t -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres -d postgres "$@"
}
# newdb TAG: creates a database for TAG, named in $newdb (dropped at exit).
newdb() {
	newdb=icommit_check_$1_$db_suffix
	su_q -c "CREATE DATABASE $newdb OWNER icommit" || return 1
	dbs+=("$newdb")
}
dropdbs() {
	local d
	for d in "${dbs[@]}"; do
		su_q -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
	done
}
trap 'dropdbs; cleanup' EXIT

# migrate DB [UPTO]: applies sql/pg/ to DB as sql/pg/README.md says (the
# advisory lock, schema_migrations, one transaction a file), up to version
# UPTO; prints the versions it applied.
migrate() {
	local db=$1 upto=${2:-999} f base v script=
	script+="SET client_min_messages = warning;"$'\n'
	script+="SELECT pg_advisory_lock(1768124269, 1);"$'\n'
	script+="CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL);"$'\n'
	for f in "$pg_dir"/[0-9][0-9][0-9]_*.sql; do
		base=$(basename "$f" .sql)
		v=$((10#${base%%_*}))
		((v <= upto)) || continue
		script+="SELECT NOT EXISTS (SELECT FROM schema_migrations WHERE version >= $v) AS todo \\gset"$'\n'
		script+="\\if :todo"$'\n'
		script+="BEGIN;"$'\n'"\\i $f"$'\n'
		script+="INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, '$base', extract(epoch FROM now())::bigint);"$'\n'
		script+="COMMIT;"$'\n'"\\echo applied $v"$'\n'"\\endif"$'\n'
	done
	script+="SELECT pg_advisory_unlock(1768124269, 1);"$'\n'
	local out rc
	out=$(q "$db" <<<"$script")
	rc=$?
	grep '^applied' <<<"$out"
	return "$rc"
}

nfiles=$(names "$pg_dir" | wc -l)

# --- 2. two migrators at once, then a third --------------------------------
newdb main || { echo "FAIL: createdb"; exit 1; }
db=$newdb
migrate "$db" >"$work/m1.out" 2>"$work/m1.err" &
p1=$!
migrate "$db" >"$work/m2.out" 2>"$work/m2.err" &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
if ((rc1 == 0 && rc2 == 0)); then
	pass "two migrators at once on an empty database both succeeded"
else
	fail "concurrent migrators: exit $rc1 and $rc2: $(cat "$work/m1.err" "$work/m2.err")"
fi
applied=$(cat "$work/m1.out" "$work/m2.out" | sort | uniq -c | awk '$1 > 1' | wc -l)
total=$(cat "$work/m1.out" "$work/m2.out" | wc -l)
recorded=$(q "$db" -c "SELECT count(*) || ' ' || coalesce(max(version), 0) FROM schema_migrations")
if ((applied == 0 && total == nfiles)) && [[ $recorded == "$nfiles $((10#$(names "$pg_dir" | tail -1 | cut -c1-3)))" ]]; then
	pass "each of the $nfiles migrations applied once (schema_migrations: $recorded)"
else
	fail "migrations applied $total times for $nfiles files; schema_migrations: $recorded"
fi
again=$(migrate "$db" 2>&1)
if [[ -z $again ]]; then
	pass "a third run applies nothing"
else
	fail "a third run did something: $again"
fi

# --- 3. the same schema as SQLite ------------------------------------------
lite=$work/lite.db
{
	for f in "$lite_dir"/[0-9][0-9][0-9]_*.sql; do
		cat "$f"
		echo
	done
	# As src/db.c makes it.
	echo "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);"
} | sqlite3 -bail "$lite" || fail "the SQLite migrations did not apply"

sqlite3 "$lite" >"$work/lite.txt" <<'EOF'
SELECT m.name || '.' || p.name || ' ' ||
    CASE upper(p.type) WHEN 'INTEGER' THEN 'integer' WHEN 'TEXT' THEN 'text'
    WHEN 'BLOB' THEN 'blob' ELSE 'other:' || p.type END ||
    CASE WHEN p."notnull" OR p.pk THEN ' not null' ELSE '' END ||
    coalesce(' default ' || p.dflt_value, '')
FROM sqlite_schema m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, p.cid;
SELECT 'index ' || name || ' ON ' || tbl_name FROM sqlite_schema
WHERE type = 'index' AND sql IS NOT NULL ORDER BY name;
SELECT 'trigger ' || name || ' ON ' || tbl_name FROM sqlite_schema
WHERE type = 'trigger' ORDER BY name;
EOF
q "$db" >"$work/pg.txt" <<'EOF'
SELECT c.table_name || '.' || c.column_name || ' ' ||
    CASE WHEN c.data_type IN ('bigint', 'integer') THEN 'integer'
    WHEN c.data_type = 'text' THEN 'text' WHEN c.data_type = 'bytea' THEN 'blob'
    ELSE 'other:' || c.data_type END ||
    CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE '' END ||
    coalesce(' default ' || regexp_replace(c.column_default, '::[a-z ]+$', ''), '')
FROM information_schema.columns c
WHERE c.table_schema = current_schema()
ORDER BY c.table_name, c.ordinal_position;
SELECT 'index ' || indexname || ' ON ' || tablename FROM pg_indexes
WHERE schemaname = current_schema()
AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname;
SELECT 'trigger ' || t.tgname || ' ON ' || c.relname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal ORDER BY t.tgname;
EOF
# The flags must be integers: a boolean would read back as t/f.
grep -E '^[a-z_]+\.(paused|public|disabled|waitlist) ' "$work/pg.txt" | grep -v ' integer ' |
	while read -r line; do fail "not an integer flag: $line"; done
grep -v -E "$SQLITE_ONLY" "$work/lite.txt" >"$work/lite.cmp"
grep -v -E "$PG_ONLY" "$work/pg.txt" >"$work/pg.cmp"
if diff -u "$work/lite.cmp" "$work/pg.cmp" >"$work/schema.diff"; then
	pass "tables, columns, indexes and triggers as in SQLite ($(grep -c '\.' "$work/lite.cmp") columns), less the documented differences"
else
	fail "the schemas differ (- SQLite, + PostgreSQL):"
	sed -n '3,$p' "$work/schema.diff" | grep '^[-+]' | sed 's/^/  /'
fi
# The documented differences are all there (a stale list hides nothing).
for want in 'login_attempts.key_hash' 'outbox.claimed_by' 'outbox.claimed_until' \
	'index consultants_search' 'index login_attempts_window'; do
	grep -q "^$want" "$work/pg.txt" || fail "documented PostgreSQL-only $want is missing"
done
grep -q '^consultants_fts\.' "$work/lite.txt" || fail "SQLite's consultants_fts is gone: update SQLITE_ONLY"
grep -q '^index registrations_waitlist ' "$work/pg.txt" &&
	[[ $(q "$db" -c "SELECT indisunique FROM pg_index WHERE indexrelid = 'registrations_waitlist'::regclass") == t ]] ||
	fail "registrations_waitlist is not a UNIQUE index"

# --- 4. what the translation must keep doing ------------------------------
# expect NAME WANT SQL: the output of SQL on db is WANT.
expect() {
	local name=$1 want=$2 got
	got=$(q "$db" -c "$3" 2>&1)
	if [[ $got == "$want" ]]; then
		pass "$name"
	else
		fail "$name: want '$want', got '$got'"
	fi
}
# refused NAME SQL: SQL fails with an error that matches PATTERN.
refused() {
	local name=$1 pattern=$2 got
	if got=$(q "$db" -c "$3" 2>&1); then
		fail "$name: accepted"
	elif [[ $got =~ $pattern ]]; then
		pass "$name"
	else
		fail "$name: refused, but with '$got'"
	fi
}

expect "a new campaign gets its counter row (trigger)" "1|0" \
	"INSERT INTO campaigns (slug, title_es, title_en, title_pt, title_fr, created_at, updated_at)
	 VALUES ('c-1', 't', 't', 't', 't', 100, 100);
	 SELECT c.id || '|' || k.count FROM campaigns c JOIN campaign_counters k ON k.campaign_id = c.id"
refused "a slug with a capital or a space is refused" 'campaigns_slug_check' \
	"INSERT INTO campaigns (slug, title_es, title_en, title_pt, title_fr, created_at, updated_at)
	 VALUES ('Bad slug', 't', 't', 't', 't', 1, 1)"
refused "a flag is 0 or 1" 'pledges_public_check' \
	"INSERT INTO pledges (campaign_id, status, name, email, email_key, actor_type, country, commitment, public, consent_at, created_at)
	 VALUES (1, 'confirmed', 'n', 'e@x', 'e@x', 'individual', 'AR', 'c', 2, 1, 1)"
expect "the wall's partial index reads public = 1" "1" \
	"INSERT INTO pledges (campaign_id, status, name, email, email_key, actor_type, country, commitment, public, consent_at, created_at)
	 VALUES (1, 'confirmed', 'n', 'e@x', 'e@x', 'individual', 'AR', 'c', 1, 1, 1);
	 SELECT count(*) FROM pledges WHERE campaign_id = 1 AND public = 1 AND status IN ('confirmed', 'approved')"

# The waitlist backstop: two waitlisted rows of one event cannot share a place.
q "$db" -c "INSERT INTO events (slug, title_es, title_en, title_pt, title_fr, starts_at, ends_at, capacity, created_at, updated_at)
	VALUES ('e-1', 't', 't', 't', 't', 10, 20, 1, 1, 1);
	INSERT INTO registrations (event_id, status, waitlist_seq, name, email, email_key, consent_at, created_at)
	VALUES (1, 'waitlisted', 1, 'a', 'a@x', 'a@x', 1, 1), (1, 'cancelled', NULL, 'c', 'c@x', 'c@x', 1, 1)" ||
	fail "inserting registrations"
refused "a second waitlisted row on the same place is refused" 'registrations_waitlist' \
	"INSERT INTO registrations (event_id, status, waitlist_seq, name, email, email_key, consent_at, created_at)
	 VALUES (1, 'waitlisted', 1, 'b', 'b@x', 'b@x', 1, 1)"
expect "seated, a row frees its place (waitlist_seq NULL)" "2" \
	"UPDATE registrations SET status = 'registered', waitlist_seq = NULL WHERE email_key = 'a@x';
	 INSERT INTO registrations (event_id, status, waitlist_seq, name, email, email_key, consent_at, created_at)
	 VALUES (1, 'waitlisted', 1, 'b', 'b@x', 'b@x', 1, 1);
	 SELECT count(*) FROM registrations WHERE waitlist_seq IS NULL"

# SQLite's INSERT OR REPLACE gives the replacing request a new id.
creq="INSERT INTO consultant_requests (email, email_key, name, expertise, bio, consent_at, created_at)
	VALUES ('r@x', 'r@x', 'R', '[\"grid\"]', 'b', 1, 1)
	ON CONFLICT (email) DO UPDATE SET id = DEFAULT, name = excluded.name RETURNING id"
first=$(q "$db" -c "$creq")
second=$(q "$db" -c "$creq")
if [[ -n $first && -n $second && $second -gt $first ]]; then
	pass "a replaced consultant request gets a new id ($first -> $second)"
else
	fail "consultant request ids: '$first' then '$second'"
fi
expect "expertise stays the JSON text it was given" '["grid"]|grid' \
	"SELECT expertise || '|' || (SELECT string_agg(v, ' ') FROM jsonb_array_elements_text(expertise::jsonb) v)
	 FROM consultant_requests"

# The search: accent- and case-blind prefixes, every word required.
q "$db" -c "INSERT INTO consultants (email, email_key, name, organisation, expertise, bio, consent_at, created_at, confirmed_at, updated_at) VALUES
	('ana@x', 'ana@x', 'Ana Gómez', 'Movilidad Eléctrica SA', '[\"charging\"]', 'Gestión de flotas y e-mobility en São Paulo.', 1, 1, 1, 1),
	('bo@x', 'bo@x', 'Bo Li', NULL, '[\"grid\"]', 'Grid planning; 100% renewables.', 1, 1, 1, 1)" ||
	fail "inserting consultants"
search() {
	q "$db" -c "SELECT coalesce(string_agg(email, ',' ORDER BY id), '-') FROM consultants c
		WHERE consultants_tsvector(c.name, c.organisation, c.bio) @@ consultants_tsquery(\$q\$$1\$q\$)"
}
check_search() {
	local got
	got=$(search "$1" 2>&1)
	if [[ $got == "$2" ]]; then
		pass "search '$1' finds $2"
	else
		fail "search '$1': want $2, got $got"
	fi
}
check_search 'gestion' 'ana@x'
check_search 'GESTIÓN' 'ana@x'
check_search 'gest' 'ana@x'
check_search '"gest"* "flot"*' 'ana@x'
check_search 'sao paulo' 'ana@x'
check_search 'electrica' 'ana@x'
check_search 'mobility' 'ana@x'
check_search 'gestion grid' '-'
check_search 'grid' 'bo@x'
check_search 'renew' 'bo@x'
check_search 'xyz' '-'
# Nothing in the input is an operator, nothing breaks the query.
for nasty in "!" "a | b" "a'b" "\\" "'" ":*" "(bo" "bo & !li" "<->" '""' "bo:*A"; do
	got=$(search "$nasty" 2>&1)
	if [[ $got == - || $got == ana@x || $got == bo@x ]]; then
		pass "search of $(printf '%q' "$nasty") is only words ($got)"
	else
		fail "search of $(printf '%q' "$nasty"): $got"
	fi
done
expect "a search without a word matches nothing" "-" \
	"SELECT coalesce(string_agg(email, ','), '-') FROM consultants c
	 WHERE consultants_tsvector(c.name, c.organisation, c.bio) @@ consultants_tsquery('  !! ')"
plan=$(q "$db" -c "SET enable_seqscan = off; EXPLAIN SELECT id FROM consultants c
	WHERE consultants_tsvector(c.name, c.organisation, c.bio) @@ consultants_tsquery('gest')")
if [[ $plan == *consultants_search* ]]; then
	pass "the search uses the GIN index"
else
	fail "the search does not use consultants_search: $plan"
fi
expect "an updated bio is found at once (no trigger needed)" "bo@x" \
	"UPDATE consultants SET bio = 'Flotas eléctricas' WHERE email = 'bo@x';
	 SELECT string_agg(email, ',') FROM consultants c
	 WHERE consultants_tsvector(c.name, c.organisation, c.bio) @@ consultants_tsquery('electricas')"

# 008's backfill: the same rows through both engines give the same keys.
newdb old || fail "createdb"
old=$newdb
migrate "$old" 7 >/dev/null || fail "migrating to 007"
lite7=$work/lite7.db
for f in "$lite_dir"/00[1-7]_*.sql; do cat "$f"; echo; done | sqlite3 -bail "$lite7" || fail "SQLite to 007"
rows="INSERT INTO comments (topic, email, message, created_at) VALUES
	('general', 'Ana+News@Example.org', 'm', 1), ('general', 'bo@example.org', 'm', 1),
	('general', NULL, 'm', 1), ('general', 'c+a+b@x.org', 'm', 1);
INSERT INTO consultants (email, name, expertise, bio, consent_at, created_at, confirmed_at, updated_at) VALUES
	('dee+x@example.org', 'D', '[]', 'b', 1, 1, 1, 1);
INSERT INTO consultant_requests (email, name, expertise, bio, consent_at, created_at) VALUES
	('Eve@Example.org', 'E', '[]', 'b', 1, 1);"
keys="SELECT k FROM (SELECT 1 AS t, id, coalesce(email_key, 'NULL') AS k FROM comments
	UNION ALL SELECT 2, id, email_key FROM consultants
	UNION ALL SELECT 3, id, email_key FROM consultant_requests) x ORDER BY t, id;"
q "$old" -c "$rows" || fail "rows before 008 (PostgreSQL)"
sqlite3 -bail "$lite7" "$rows" || fail "rows before 008 (SQLite)"
migrate "$old" >/dev/null || fail "applying 008"
sqlite3 -bail "$lite7" <"$lite_dir/008_contact_email_key.sql" || fail "SQLite 008"
pg_keys=$(q "$old" -c "$keys")
lite_keys=$(sqlite3 "$lite7" "$keys")
if [[ $pg_keys == "$lite_keys" && $pg_keys == *ana@example.org* ]]; then
	pass "008 fills email_key as SQLite does ($(echo $pg_keys))"
else
	fail "008's email_key: PostgreSQL '$(echo $pg_keys)', SQLite '$(echo $lite_keys)'"
fi

echo
if ((failures)); then
	echo "check-schema: $failures failed"
	exit 1
fi
echo "check-schema: all passed"
