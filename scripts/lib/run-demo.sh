# run-demo.sh: what scripts/run adds so that a local run shows itself: a
# local mail sink whose mails are read at /dev/mail/ (a page of this stack
# only), the staff account "demo" with a password kept in the state dir,
# and the demo content. Sourced by scripts/run, whose variables it uses
# (root, state, conf, confs, build, and its die and port_taken); each function
# sets what scripts/run prints:
#   start_mail_sink      mail_pid, mail_dir; appends smtp_url to each of $confs
#   write_dev_locations  exports ICOMMIT_NGINX_INCLUDE for render_nginx
#   ensure_demo_staff    staff_user, staff_password
#   load_demo            demo_state (ICOMMIT_DEMO=0 skips the load)

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 30000))
		port_taken "$p" || { echo "$p"; return 0; }
	done
	return 1
}

# start_mail_sink: scripts/lib/mail-sink.py on a free port, keeping every
# mail icommitd sends in $state/mail/ (as .eml, and the pages of /dev/mail/);
# appends its smtp_url to each node's config. Without python3-aiosmtpd mail stays
# queued in the database instead.
mail_pid=
mail_dir=$state/mail
start_mail_sink() {
	if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
		echo "scripts/run: python3-aiosmtpd is missing: mail stays queued (icommitctl mail-queue)" >&2
		return 0
	fi
	local smtp_port
	smtp_port=$(free_port) || die "no free port for the mail sink"
	mkdir -p "$mail_dir"
	setsid /usr/bin/python3 scripts/lib/mail-sink.py --port "$smtp_port" --dir "$mail_dir" \
		>"$state/mail-sink.log" 2>&1 &
	mail_pid=$!
	# scripts/run's stop_all (its EXIT trap) stops it, also on a failed start.
	for _ in $(seq 1 100); do
		port_taken "$smtp_port" && break
		kill -0 "$mail_pid" 2>/dev/null || die "the mail sink exited during start: see $state/mail-sink.log"
		sleep 0.1
	done
	port_taken "$smtp_port" || die "the mail sink did not listen on $smtp_port"
	local c
	for c in "${confs[@]}"; do
		printf 'smtp_url = smtp://127.0.0.1:%s\n' "$smtp_port" >>"$c"
	done
}

# write_dev_locations: the nginx locations of this stack only (/dev/mail/,
# the caught mail), included through the template's @RUN_INCLUDE@ line; a
# deployed site renders that line empty.
write_dev_locations() {
	local file=$state/nginx-dev.conf
	cat >"$file" <<EOF2
# Written by scripts/run: locations of the development stack only.
location = /dev/mail {
    return 301 /dev/mail/;
}
location ^~ /dev/mail/ {
    alias $mail_dir/;
    index index.html;
    types {
        text/html html;
        text/css css;
        text/plain eml;
    }
    default_type text/plain;
}
EOF2
	export ICOMMIT_NGINX_INCLUDE=$file
}

# ensure_demo_staff: the staff account "demo", with a password made once
# (four words and a number) and kept in $state/demo-password, so that it
# is the same at every run.
staff_user=demo
staff_password=
ensure_demo_staff() {
	local file=$state/demo-password words users new=0
	words=(bus carga solar metro litio viento ruta tranvia red flota borne
		onibus cable rio sol puerto andes selva isla costa valle lago
		bahia pampa nube lluvia brisa faro puente plaza mapa tren)
	if [[ ! -s $file ]]; then
		local w=() i n
		for i in 1 2 3 4; do
			n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
			w+=("${words[n % ${#words[@]}]}")
		done
		n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
		(umask 077 && printf '%s-%s-%s-%s-%02d\n' "${w[@]}" $((n % 100)) >"$file")
		new=1
	fi
	staff_password=$(<"$file")
	users=$'\n'$("$build/icommitctl" -c "$conf" user list)
	if [[ $users != *$'\n'"$staff_user"$'\t'* ]]; then
		printf '%s\n' "$staff_password" | "$build/icommitctl" -c "$conf" user add "$staff_user" >/dev/null
	elif ((new)); then
		printf '%s\n' "$staff_password" | "$build/icommitctl" -c "$conf" user passwd "$staff_user" >/dev/null
	fi
}

# load_demo: the demo content (icommitctl demo load adds nothing the second
# time); ICOMMIT_DEMO=0 skips it.
demo_state="not loaded (ICOMMIT_DEMO=0)"
load_demo() {
	[[ ${ICOMMIT_DEMO:-1} != 0 ]] || return 0
	"$build/icommitctl" -c "$conf" demo load >/dev/null
	local ctl=$build/icommitctl
	[[ $ctl == /* ]] || ctl=$root/$ctl
	demo_state="loaded (\"$ctl -c $conf demo remove\" takes it out)"
}
