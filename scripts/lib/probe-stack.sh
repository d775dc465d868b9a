#!/usr/bin/env bash
# probe-stack.sh: a throw-away icommit stack for the probing scripts
# (scripts/valgrind, scripts/sqlmap): a state dir with config and database,
# icommitd (optionally under a wrapper such as valgrind), nginx from the
# deploy templates on a free port, and an optional SMTP sink. Source it:
#   probe_stack_start STATE_DIR [WRAPPER...]   starts everything; sets
#       PROBE_BASE (http://127.0.0.1:PORT), PROBE_PORT, PROBE_CONF, PROBE_DB,
#       PROBE_DAEMON_PID, PROBE_DAEMON_LOG
#   probe_stack_stop_daemon [TIMEOUT_S]  SIGTERMs icommitd, waits; returns its
#       exit status (124 if it had to be killed)
#   probe_stack_stop                     stops whatever is still running
# Knobs (environment): ICOMMIT_BUILD (build), PROBE_SMTP=1 (start an aiosmtpd
# sink when /usr/bin/python3 has it), PROBE_VERIFY_EMAIL and PROBE_MODERATION
# (yes), PROBE_CONFIG (extra "key = value" lines),
# PROBE_START_TIMEOUT (seconds, 30; more under valgrind).

PROBE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib/nginx-conf.sh
source "$PROBE_ROOT/scripts/lib/nginx-conf.sh"

PROBE_DAEMON_PID=
PROBE_NGINX_PID=
PROBE_SMTP_PID=

# probe_free_port: a TCP port on 127.0.0.1 that nothing listens on now.
probe_free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# probe_wait_health TIMEOUT_S: until GET /api/v1/health answers 200.
probe_wait_health() {
	local until=$((SECONDS + $1)) code
	while ((SECONDS < until)); do
		if [[ -n $PROBE_DAEMON_PID ]] && ! kill -0 "$PROBE_DAEMON_PID" 2>/dev/null; then
			return 1
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$PROBE_BASE/api/v1/health" || true)
		[[ $code == 200 ]] && return 0
		sleep 0.3
	done
	return 1
}

probe_stack_start() {
	local state=$1
	shift
	local build=${ICOMMIT_BUILD:-build}
	[[ $build == /* ]] || build="$PROBE_ROOT/$build"
	mkdir -p "$state"
	state=$(cd "$state" && pwd)
	PROBE_CONF=$state/icommit.conf
	PROBE_DB=$state/icommit.db
	PROBE_DAEMON_LOG=$state/icommitd.log
	local socket=$state/icommitd.sock smtp_line=""

	PROBE_PORT=$(probe_free_port) || { echo "probe-stack: no free port" >&2; return 1; }
	PROBE_BASE=http://127.0.0.1:$PROBE_PORT

	if [[ ${PROBE_SMTP:-0} == 1 ]] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
		local smtp_port
		smtp_port=$(probe_free_port)
		mkdir -p "$state/maildir"/{tmp,new,cur}
		/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox \
			"$state/maildir" >"$state/smtp.log" 2>&1 &
		PROBE_SMTP_PID=$!
		smtp_line="smtp_url = smtp://127.0.0.1:$smtp_port"
		sleep 1
	fi

	cat >"$PROBE_CONF" <<EOF
database = $PROBE_DB
listen = unix:$socket
socket_mode = 0666
threads = 4
base_url = $PROBE_BASE
verify_email = ${PROBE_VERIFY_EMAIL:-yes}
moderation = ${PROBE_MODERATION:-yes}
mail_from = icommit@localhost
rate_limit = 1000000
trusted_proxies = 127.0.0.1
$smtp_line
${PROBE_CONFIG:-}
EOF
	"$build/icommitctl" -c "$PROBE_CONF" init >"$state/init.log" 2>&1 || {
		echo "probe-stack: icommitctl init failed:" >&2
		cat "$state/init.log" >&2
		return 1
	}

	ICOMMIT_NGINX_POST_RATE=100000r/s ICOMMIT_NGINX_POST_BURST=100000 \
		render_nginx "$state/nginx" "$PROBE_PORT" "$PROBE_ROOT/www" "$socket" || return 1
	nginx -e "$state/nginx/nginx-error.log" -p "$state/nginx" -c "$state/nginx/nginx.conf" \
		>"$state/nginx.stderr.log" 2>&1 &
	PROBE_NGINX_PID=$!

	"$@" "$build/icommitd" -c "$PROBE_CONF" >"$PROBE_DAEMON_LOG" 2>&1 &
	PROBE_DAEMON_PID=$!
	if ! probe_wait_health "${PROBE_START_TIMEOUT:-30}"; then
		echo "probe-stack: icommitd did not become healthy; its log:" >&2
		tail -20 "$PROBE_DAEMON_LOG" >&2
		# The health check goes through nginx: its side too (a port
		# taken meanwhile, say), since the state dir may be removed.
		echo "probe-stack: nginx (port $PROBE_PORT):" >&2
		tail -5 "$state/nginx/nginx-error.log" "$state/nginx.stderr.log" >&2 2>/dev/null
		return 1
	fi
}

probe_stack_stop_daemon() {
	local timeout=${1:-60} rc
	[[ -n $PROBE_DAEMON_PID ]] || return 0
	kill -TERM "$PROBE_DAEMON_PID" 2>/dev/null
	local until=$((SECONDS + timeout))
	while kill -0 "$PROBE_DAEMON_PID" 2>/dev/null && ((SECONDS < until)); do
		sleep 0.2
	done
	if kill -0 "$PROBE_DAEMON_PID" 2>/dev/null; then
		kill -KILL "$PROBE_DAEMON_PID" 2>/dev/null
		wait "$PROBE_DAEMON_PID" 2>/dev/null
		PROBE_DAEMON_PID=
		return 124
	fi
	wait "$PROBE_DAEMON_PID"
	rc=$?
	PROBE_DAEMON_PID=
	return "$rc"
}

probe_stack_stop() {
	local pid
	if [[ -n $PROBE_DAEMON_PID ]]; then
		probe_stack_stop_daemon 30 || true
	fi
	for pid in $PROBE_NGINX_PID $PROBE_SMTP_PID; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $PROBE_NGINX_PID $PROBE_SMTP_PID; do
		wait "$pid" 2>/dev/null || true
	done
	PROBE_NGINX_PID=
	PROBE_SMTP_PID=
}
