#!/usr/bin/env bash
# pg.sh: a throwaway PostgreSQL cluster for the tests and for
# `ICOMMIT_BACKEND=postgres scripts/run`: initdb + pg_ctl on a directory of
# its own, listening only on a unix socket in that directory (no TCP, no
# system service, no clash with a cluster of Debian's postgresql-common,
# which uses /var/run/postgresql and port 5432). As root, the server runs as
# the `postgres` OS user (runuser) and the directory is handed to it.
# Source it and call the functions, or run it:
#   scripts/lib/pg.sh start DIR [PORT]   initdb DIR/data if missing, start;
#                                        prints the export lines of the env
#   scripts/lib/pg.sh stop DIR [MODE]    pg_ctl stop (MODE fast, or immediate)
#   scripts/lib/pg.sh restart DIR [MODE] the same, then start again
#   scripts/lib/pg.sh env DIR            the export lines of a running cluster
#   scripts/lib/pg.sh createdb DIR NAME  a database owned by the icommit role
#   scripts/lib/pg.sh dropdb DIR NAME    drops it (closing its connections)
#   scripts/lib/pg.sh uri DIR NAME       its postgresql:// URI
#   scripts/lib/pg.sh psql DIR [ARGS]    psql as the superuser
# Layout of DIR: data/ (PGDATA), run/ (the socket, mode 0700), server.log.
# The cluster has two roles: postgres (superuser) and icommit (LOGIN
# CREATEDB, what the daemon and the tests connect as); local connections
# are trusted, which is safe only because the socket directory is private.
# Settings (data/icommit.conf, rewritten at every start): fsync and
# synchronous_commit on (a test of durability must test durability),
# shared_buffers 32MB, max_connections 200 (two daemons of ~12 connections
# each, icommitctl and the tests' psql, with room to spare).
# Environment: ICOMMIT_PG_BIN (the directory of initdb, pg_ctl, psql:
# default the newest /usr/lib/postgresql/N/bin, else PATH), ICOMMIT_PG_PORT
# (default 55432; only names the socket file, nothing listens on TCP).
# pg_start exports ICOMMIT_PG_HOST (the socket dir), ICOMMIT_PG_PORT,
# ICOMMIT_PG_USER (icommit) and ICOMMIT_PG_SUPERUSER (postgres), the
# variables tests/e2e/lib/stack.mjs reads, and ICOMMIT_PG_DIR (DIR, for a
# test that restarts the server: scripts/lib/pg.sh restart DIR immediate).

ICOMMIT_PG_ROLE=icommit

# pg_msg MESSAGE: one line on stderr.
pg_msg() {
	printf 'pg.sh: %s\n' "$*" >&2
}

# pg_find_bin: sets ICOMMIT_PG_BIN to the directory of the server programs;
# returns 1 (quietly) when PostgreSQL's server is not installed.
pg_find_bin() {
	local d
	# (Explicit statuses: a bare return in an EXIT trap would return the
	# status of the command the trap interrupted.)
	if [[ -n ${ICOMMIT_PG_BIN:-} ]]; then
		[[ -x $ICOMMIT_PG_BIN/initdb && -x $ICOMMIT_PG_BIN/pg_ctl ]] && return 0
		return 1
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n -r); do
		if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/psql ]]; then
			ICOMMIT_PG_BIN=$d
			return 0
		fi
	done
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		ICOMMIT_PG_BIN=$(dirname "$(command -v initdb)")
		return 0
	fi
	return 1
}

# pg_as_owner CMD...: runs CMD as the cluster's OS user (postgres when we
# are root, else ourselves), from a directory that user can enter.
pg_as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

# pg_port_of DIR: the port the cluster in DIR was last started on.
pg_port_of() {
	sed -n 's/^port = \([0-9]*\)$/\1/p' "$1/data/icommit.conf" 2>/dev/null
}

# pg_export DIR: exports the connection variables of the cluster in DIR.
pg_export() {
	local dir
	dir=$(cd "$1" && pwd) || return 1
	export ICOMMIT_PG_HOST=$dir/run
	export ICOMMIT_PG_PORT=$(pg_port_of "$dir")
	export ICOMMIT_PG_USER=$ICOMMIT_PG_ROLE
	export ICOMMIT_PG_SUPERUSER=postgres
	export ICOMMIT_PG_DIR=$dir
}

# pg_print_env: the export lines of the variables pg_export set.
pg_print_env() {
	printf 'export ICOMMIT_PG_HOST=%q ICOMMIT_PG_PORT=%q ICOMMIT_PG_USER=%q ICOMMIT_PG_SUPERUSER=%q ICOMMIT_PG_DIR=%q\n' \
		"$ICOMMIT_PG_HOST" "$ICOMMIT_PG_PORT" "$ICOMMIT_PG_USER" "$ICOMMIT_PG_SUPERUSER" "$ICOMMIT_PG_DIR"
}

# pg_psql DIR [ARGS...]: psql as the superuser on the cluster in DIR
# (quiet, no psqlrc, stop at the first error).
pg_psql() {
	local dir=$1
	shift
	pg_find_bin || { pg_msg "PostgreSQL is not installed"; return 1; }
	(pg_export "$dir" &&
		"$ICOMMIT_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$ICOMMIT_PG_HOST" \
			-p "$ICOMMIT_PG_PORT" -U postgres -d postgres "$@")
}

# pg_start DIR [PORT]: creates the cluster in DIR when DIR/data is missing
# (DIR is created; as root it is given to postgres, whose OS user must be
# able to reach it), starts it unless it runs, waits until it accepts
# connections, makes sure the icommit role exists and exports the
# connection variables. Returns 1 with a message on stderr on failure.
pg_start() {
	local dir=$1 port=${2:-${ICOMMIT_PG_PORT:-55432}} log
	if [[ $# -lt 1 || $# -gt 2 ]]; then
		pg_msg "usage: pg_start DIR [PORT]"
		return 2
	fi
	[[ $port =~ ^[0-9]+$ ]] || { pg_msg "bad port '$port'"; return 1; }
	pg_find_bin || { pg_msg "PostgreSQL's server (initdb, pg_ctl) is not installed: scripts/deps --postgres"; return 1; }
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd) || return 1
	# The socket path must fit in sun_path (107 bytes with ".s.PGSQL.N").
	if ((${#dir} > 80)); then
		pg_msg "$dir is too long a path for a unix socket"
		return 1
	fi
	mkdir -p "$dir/run" || return 1
	chmod 0700 "$dir" "$dir/run" || return 1
	if [[ $(id -u) -eq 0 ]]; then
		chown -R postgres:postgres "$dir" || return 1
		if ! runuser -u postgres -- test -w "$dir"; then
			pg_msg "the postgres user cannot write to $dir (a parent directory is closed to it)"
			return 1
		fi
	fi
	log=$dir/server.log
	if [[ ! -f $dir/data/PG_VERSION ]]; then
		# The C collation sorts like SQLite's BINARY (byte order);
		# C.UTF-8 classifies letters for the text search parser.
		local ctype=C
		if locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8'; then
			ctype=C.UTF-8
		fi
		if ! pg_as_owner "$ICOMMIT_PG_BIN/initdb" -D "$dir/data" -U postgres \
			--auth-local=trust --auth-host=reject -E UTF8 --lc-collate=C \
			--lc-ctype="$ctype" --lc-messages=C >"$dir/initdb.log" 2>&1; then
			pg_msg "initdb failed: $(tail -5 "$dir/initdb.log")"
			return 1
		fi
		echo "include_if_exists = 'icommit.conf'" >>"$dir/data/postgresql.conf" || return 1
	fi
	if ! pg_as_owner "$ICOMMIT_PG_BIN/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
		pg_as_owner tee "$dir/data/icommit.conf" >/dev/null <<EOF || return 1
# Written by scripts/lib/pg.sh at every start.
listen_addresses = ''
unix_socket_directories = '$dir/run'
unix_socket_permissions = 0700
port = $port
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 32MB
max_connections = 200
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
log_min_error_statement = error
EOF
		if ! pg_as_owner "$ICOMMIT_PG_BIN/pg_ctl" start -D "$dir/data" -l "$log" \
			-w -t 60 >/dev/null 2>&1; then
			pg_msg "the server did not start: $(tail -5 "$log" 2>/dev/null)"
			return 1
		fi
	elif [[ $(pg_port_of "$dir") != "$port" ]]; then
		pg_msg "note: the cluster in $dir already runs, on port $(pg_port_of "$dir")"
	fi
	pg_export "$dir" || return 1
	pg_psql "$dir" -c "DO \$\$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ICOMMIT_PG_ROLE') THEN
			CREATE ROLE $ICOMMIT_PG_ROLE LOGIN CREATEDB;
		END IF; END \$\$;" || { pg_msg "could not create the $ICOMMIT_PG_ROLE role"; return 1; }
}

# pg_stop DIR [MODE]: stops the cluster in DIR (MODE: fast, the default, or
# immediate, a crash as far as the data files know). Not running is fine.
pg_stop() {
	local dir=$1 mode=${2:-fast}
	pg_find_bin || return 0
	[[ -f $dir/data/postmaster.pid ]] || return 0
	pg_as_owner "$ICOMMIT_PG_BIN/pg_ctl" stop -D "$dir/data" -m "$mode" -w -t 60 >/dev/null
}

# pg_restart DIR [MODE]: stops (MODE as for pg_stop) and starts again.
pg_restart() {
	local dir=$1 mode=${2:-fast}
	pg_find_bin || return 1
	pg_as_owner "$ICOMMIT_PG_BIN/pg_ctl" restart -D "$dir/data" -m "$mode" \
		-l "$dir/server.log" -w -t 60 >/dev/null
}

# pg_check_name NAME: a database name we create is a plain identifier.
pg_check_name() {
	[[ $1 =~ ^[a-z_][a-z0-9_]{0,62}$ ]] && return 0
	pg_msg "bad database name '$1' (lower-case letters, digits, _)"
	return 1
}

# pg_createdb DIR NAME: creates database NAME owned by the icommit role
# (which can then install unaccent: it is a trusted extension).
pg_createdb() {
	pg_check_name "$2" || return 1
	pg_psql "$1" -c "CREATE DATABASE $2 OWNER $ICOMMIT_PG_ROLE"
}

# pg_dropdb DIR NAME: drops database NAME, closing its connections first.
pg_dropdb() {
	pg_check_name "$2" || return 1
	pg_psql "$1" -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)"
}

# pg_uri DIR NAME: the libpq URI of database NAME on the cluster in DIR, as
# the icommit role: postgresql:///NAME?host=SOCKETDIR&port=PORT&user=icommit
# (an empty host part and host= naming a directory: a unix socket).
pg_uri() {
	local dir
	dir=$(cd "$1" && pwd) || return 1
	pg_check_name "$2" || return 1
	printf 'postgresql:///%s?host=%s&port=%s&user=%s\n' "$2" \
		"$(pg_uri_escape "$dir/run")" "$(pg_port_of "$dir")" "$ICOMMIT_PG_ROLE"
}

# pg_uri_escape VALUE: percent-encodes what a URI query value cannot hold.
pg_uri_escape() {
	local LC_ALL=C s=$1 out= c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9/._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	cmd=${1:-}
	[[ $# -gt 0 ]] && shift
	case $cmd in
	start)
		pg_start "$@"
		pg_print_env
		;;
	stop) pg_stop "$@" ;;
	restart) pg_restart "$@" ;;
	env)
		pg_export "$1"
		pg_print_env
		;;
	createdb) pg_createdb "$@" ;;
	dropdb) pg_dropdb "$@" ;;
	uri) pg_uri "$@" ;;
	psql) pg_psql "$@" ;;
	-h | --help | "")
		sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'
		[[ -n $cmd ]]
		;;
	*)
		pg_msg "unknown command '$cmd' (try --help)"
		exit 2
		;;
	esac
fi
