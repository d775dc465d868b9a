#!/usr/bin/env bash
# nginx-conf.sh: renders deploy/nginx/*.conf.in into working nginx configs.
# Source it and call the functions, or run it:
#   scripts/lib/nginx-conf.sh [render] STATE_DIR PORT ROOT SOCKET
#       STATE_DIR/site.conf + STATE_DIR/nginx.conf for a standalone nginx
#   scripts/lib/nginx-conf.sh site OUT LISTEN SERVER_NAME ROOT SOCKET CACHE [ACCESS_LOG]
#       just the site file, e.g. for /etc/nginx/sites-available/icommit
# SOCKET is icommitd's unix socket, or a comma-separated list of the
# sockets of several nodes (PostgreSQL backend): one upstream server each.
#   scripts/lib/nginx-conf.sh check STATE_DIR    nginx -t on a rendered state dir
#   scripts/lib/nginx-conf.sh start STATE_DIR    run nginx (foreground) on it
# Environment knobs for render: ICOMMIT_SERVER_NAME (localhost),
# ICOMMIT_LISTEN_HOST (127.0.0.1, used when PORT is a bare number),
# ICOMMIT_NGINX_POST_RATE (10r/s), ICOMMIT_NGINX_POST_BURST (20),
# ICOMMIT_NGINX_INCLUDE (unset; scripts/run's own locations, see
# nginx_conf_include).

ICOMMIT_NGINX_TEMPLATES="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../deploy/nginx" && pwd)"

# nginx_conf_die MESSAGE: one line on stderr, then fail (return when sourced
# from an interactive shell would be kinder, but every caller stops anyway).
nginx_conf_die() {
	printf 'nginx-conf: %s\n' "$*" >&2
	return 1
}

# nginx_conf_check_value NAME VALUE: refuses values that would break the
# nginx syntax once pasted in (whitespace, ; { } quotes # $ \) or are empty.
nginx_conf_check_value() {
	local name=$1 value=$2
	if [[ -z $value || $value =~ [[:space:]\;\{\}\"\'\#\$\\] ]]; then
		nginx_conf_die "$name is empty or has characters nginx cannot take unquoted: '$value'"
		return 1
	fi
}

# nginx_conf_sed_escape VALUE: VALUE made safe as a sed replacement with '|'
# as the delimiter.
nginx_conf_sed_escape() {
	printf '%s' "$1" | sed -e 's/[|&\\]/\\&/g'
}

# nginx_conf_include: the text for the template's @RUN_INCLUDE@ line:
# "include FILE;" when ICOMMIT_NGINX_INCLUDE names a file (scripts/run's
# development-only locations, such as /dev/mail), else nothing, which is
# what every deployed site gets.
nginx_conf_include() {
	local file=${ICOMMIT_NGINX_INCLUDE:-}
	[[ -n $file ]] || return 0
	nginx_conf_check_value ICOMMIT_NGINX_INCLUDE "$file" || return 1
	[[ -r $file ]] || { nginx_conf_die "ICOMMIT_NGINX_INCLUDE: cannot read $file"; return 1; }
	printf 'include %s;' "$file"
}

# render_site OUT LISTEN SERVER_NAME ROOT SOCKET CACHE [ACCESS_LOG]
# Writes the site file (icommit.conf.in with its placeholders filled) to OUT.
# ACCESS_LOG defaults to "off". Rate and burst come from the environment.
render_site() {
	if [[ $# -lt 6 || $# -gt 7 ]]; then
		nginx_conf_die "usage: render_site OUT LISTEN SERVER_NAME ROOT SOCKET CACHE [ACCESS_LOG]"
		return 2
	fi
	local out=$1 listen=$2 server_name=$3 root=$4 socket=$5 cache=$6
	local access_log=${7:-off}
	local rate=${ICOMMIT_NGINX_POST_RATE:-10r/s}
	local burst=${ICOMMIT_NGINX_POST_BURST:-20}
	local v s servers=
	for v in listen root socket cache access_log; do
		nginx_conf_check_value "$v" "${!v}" || return 1
	done
	# The upstream's server lines: one socket as it always was, several
	# with the failover settings the template's upstream comment explains.
	local -a sockets
	IFS=, read -r -a sockets <<<"$socket"
	if [[ ${#sockets[@]} -eq 0 || $socket == *, || $socket == ,* || $socket == *,,* ]]; then
		nginx_conf_die "bad socket list: '$socket'"
		return 1
	fi
	for s in "${sockets[@]}"; do
		if ((${#sockets[@]} > 1)); then
			servers+="server unix:$s max_fails=1 fail_timeout=5s;"$'\n'
		else
			servers+="server unix:$s;"$'\n'
		fi
	done
	# server_name may list several names separated by spaces.
	if [[ -z $server_name || $server_name =~ [\;\{\}\"\'\#\$\\] ]]; then
		nginx_conf_die "bad server name: '$server_name'"
		return 1
	fi
	if [[ ! $rate =~ ^[0-9]+r/[sm]$ ]]; then
		nginx_conf_die "ICOMMIT_NGINX_POST_RATE must look like 10r/s or 600r/m, not '$rate'"
		return 1
	fi
	if [[ ! $burst =~ ^[0-9]+$ ]]; then
		nginx_conf_die "ICOMMIT_NGINX_POST_BURST must be a number, not '$burst'"
		return 1
	fi
	local include
	include=$(nginx_conf_include) || return 1
	local off_rule='s|^\(\s*\)access_log @ACCESS_LOG@ [a-z_]*;|\1access_log off;|'
	[[ $access_log == off ]] || off_rule='s|^$||'
	# awk writes the server lines in place of the template's one, with its
	# indentation; sed fills the other placeholders.
	awk -v servers="$servers" '
	    /^[ \t]*server unix:@SOCKET@;[ \t]*$/ {
		match($0, /^[ \t]*/)
		pad = substr($0, 1, RLENGTH)
		n = split(servers, line, "\n")
		for (i = 1; i < n; i++)
			print pad line[i]
		next
	    }
	    { print }' "$ICOMMIT_NGINX_TEMPLATES/icommit.conf.in" |
	sed -e "$off_rule" \
	    -e "s|@LISTEN@|$(nginx_conf_sed_escape "$listen")|g" \
	    -e "s|@SERVER_NAME@|$(nginx_conf_sed_escape "$server_name")|g" \
	    -e "s|@ROOT@|$(nginx_conf_sed_escape "$root")|g" \
	    -e "s|@SOCKET@|$(nginx_conf_sed_escape "$socket")|g" \
	    -e "s|@CACHE@|$(nginx_conf_sed_escape "$cache")|g" \
	    -e "s|@ACCESS_LOG@|$(nginx_conf_sed_escape "$access_log")|g" \
	    -e "s|@POST_RATE@|$rate|g" \
	    -e "s|@POST_BURST@|$burst|g" \
	    -e "s|@RUN_INCLUDE@|$(nginx_conf_sed_escape "$include")|g" >"$out.tmp" || return 1
	if grep -q '@[A-Z_]*@' "$out.tmp"; then
		nginx_conf_die "unfilled placeholder in $out: $(grep -o '@[A-Z_]*@' "$out.tmp" | head -1)"
		rm -f "$out.tmp"
		return 1
	fi
	mv "$out.tmp" "$out"
}

# render_nginx STATE_DIR PORT ROOT SOCKET
# Writes STATE_DIR/site.conf and STATE_DIR/nginx.conf (a standalone nginx
# that keeps its pid, logs, temp files and micro-cache in STATE_DIR) and
# creates those directories. PORT is a number (listened on
# ICOMMIT_LISTEN_HOST, default 127.0.0.1) or a full address:port. ROOT is the
# www/ directory, SOCKET icommitd's unix socket (or a comma-separated list,
# one per node). Paths are made absolute.
# As root, the config starts with "user root root;" so that the workers can
# read www/ wherever the checkout lives.
render_nginx() {
	if [[ $# -ne 4 ]]; then
		nginx_conf_die "usage: render_nginx STATE_DIR PORT ROOT SOCKET"
		return 2
	fi
	local state root socket listen=$2
	mkdir -p "$1" || return 1
	state=$(cd "$1" && pwd) || return 1
	root=$(realpath -m "$3") || return 1
	local -a sockets
	local s
	if [[ -z $4 || $4 == *, || $4 == ,* || $4 == *,,* ]]; then
		nginx_conf_die "bad socket list: '$4'"
		return 1
	fi
	IFS=, read -r -a sockets <<<"$4"
	socket=
	for s in "${sockets[@]}"; do
		socket+=${socket:+,}$(realpath -m "$s") || return 1
	done
	if [[ $listen =~ ^[0-9]+$ ]]; then
		listen="${ICOMMIT_LISTEN_HOST:-127.0.0.1}:$listen"
	fi
	nginx_conf_check_value STATE_DIR "$state" || return 1
	mkdir -p "$state/cache" "$state"/tmp/{client_body,fastcgi,proxy,uwsgi,scgi} || return 1
	# The site says "include fastcgi_params;", which nginx resolves next to
	# nginx.conf: give it the system's copy there.
	if [[ ! -r /etc/nginx/fastcgi_params ]]; then
		nginx_conf_die "/etc/nginx/fastcgi_params is missing (is nginx installed?)"
		return 1
	fi
	cp /etc/nginx/fastcgi_params "$state/fastcgi_params" || return 1

	render_site "$state/site.conf" "$listen" "${ICOMMIT_SERVER_NAME:-localhost}" \
		"$root" "$socket" "$state/cache" "$state/access.log" || return 1

	{
		if [[ $(id -u) -eq 0 ]]; then
			echo "user root root;"
		fi
		sed -e "s|@STATE@|$(nginx_conf_sed_escape "$state")|g" \
			"$ICOMMIT_NGINX_TEMPLATES/standalone.conf.in"
	} >"$state/nginx.conf.tmp" || return 1
	mv "$state/nginx.conf.tmp" "$state/nginx.conf"
}

# check_nginx STATE_DIR: nginx -t on the rendered config.
check_nginx() {
	local state
	state=$(cd "$1" && pwd) || return 1
	nginx -t -q -e "$state/nginx-error.log" -p "$state" -c "$state/nginx.conf"
}

# start_nginx STATE_DIR: runs nginx in the foreground (the config says
# "daemon off"); replaces the calling shell when run as a script.
start_nginx() {
	local state
	state=$(cd "$1" && pwd) || return 1
	nginx -e "$state/nginx-error.log" -p "$state" -c "$state/nginx.conf"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	case ${1:-} in
	render) shift; render_nginx "$@" ;;
	site) shift; render_site "$@" ;;
	check) shift; check_nginx "$@" ;;
	start) shift
		state=$(cd "$1" && pwd)
		exec nginx -e "$state/nginx-error.log" -p "$state" -c "$state/nginx.conf" ;;
	-h|--help|"") sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; [[ -n ${1:-} ]] ;;
	*) render_nginx "$@" ;;
	esac
fi
