#!/bin/sh
# tests/man/check-man.sh: keeps the man pages in docs/man/ well-formed and in
# step with the code. Run by ctest (CMakeLists.txt), or by hand:
#   check-man.sh lint SRCDIR       mandoc -T lint -W warning on every page;
#                                  exit 77 (skipped) when mandoc is missing
#   check-man.sh complete SRCDIR [MANDIR]
#                                  every key of src/config.c's table has an
#                                  entry with a default in icommit.conf.5, and
#                                  no entry names a key the parser lacks; every
#                                  command, subcommand, kind of export and
#                                  export option of icommitctl (src/
#                                  icommitctl*.c and the exports' struct
#                                  export in src/) has an entry in
#                                  icommitctl.8; every getopt letter of both
#                                  programs has one in its page
#   check-man.sh selftest SRCDIR   breaks copies of the pages and makes sure
#                                  that `complete` notices
set -u

usage() {
	echo "usage: check-man.sh lint|complete|selftest SRCDIR [MANDIR]" >&2
	exit 2
}

[ $# -ge 2 ] || usage
mode=$1
src=$2
man=${3:-$src/docs/man}
conf_c=$src/src/config.c
ctl_c=$src/src/icommitctl.c
ctl_all="$src/src/icommitctl.c $src/src/icommitctl_*.c"
main_c=$src/src/main.c
pages="icommitd.8 icommitctl.8 icommit.conf.5"

problems=0
problem() {
	echo "check-man: $*" >&2
	problems=$((problems + 1))
}

for f in "$conf_c" "$ctl_c" "$main_c"; do
	[ -r "$f" ] || { echo "check-man: cannot read $f" >&2; exit 1; }
done

# The keys of config.c's table, one a line: the rows `{ "name", KIND_...`
# between `config_keys[] = {` and the closing `};`.
config_keys() {
	sed -n '/config_keys\[\] = {/,/^};/p' "$conf_c" |
	    sed -n 's/^[[:space:]]*{[[:space:]]*"\([a-z_][a-z0-9_]*\)",.*/\1/p'
}

# "name function" for each row `{ "name", cmd_fn }` of icommitctl's table.
ctl_commands() {
	sed -n '/commands\[\] = {/,/^};/p' "$ctl_c" |
	    sed -n 's/^[[:space:]]*{[[:space:]]*"\([a-z][a-z0-9-]*\)",[[:space:]]*\(cmd_[a-z_]*\)[[:space:]]*}.*/\1 \2/p'
}

# The names of the exports: `.name = "pledges",` in each `const struct
# export NAME_export = {` of src/.
export_names() {
	for f in "$src"/src/*.c; do
		sed -n '/^const struct export [a-z_]* = {/,/^};/p' "$f"
	done | sed -n 's/^[[:space:]]*\.name = "\([a-z]*\)",.*/\1/p' | sort -u
}

# The words a command function compares its first argument with
# (`strcmp(argv[1], "add")`): its subcommands; for export, the kinds.
ctl_subcommands() {
	if [ "$1" = cmd_export ]; then
		export_names
		return
	fi
	# shellcheck disable=SC2086
	cat $ctl_all | sed -n "/^$1(/,/^}/p" |
	    grep -o 'strcmp(argv\[1\], "[a-z][a-z0-9-]*")' |
	    sed 's/.*"\(.*\)")/\1/' | sort -u
}

# The export options: icommitctl's own (`strcmp(a, "-o")`, `--no-bom`),
# those its export_takes adds (`strcmp(name, "sep")`), and --NAME for every
# parameter of every export (the `export_params[] = { "campaign", ... }`
# lists of src/).
ctl_options() {
	# shellcheck disable=SC2086
	{
		cat $ctl_all | grep -o 'strcmp(a, "-[-a-z0-9]*")' |
		    sed 's/.*"\(.*\)")/\1/'
		cat $ctl_all | grep -o 'strcmp(name, "[a-z]*")' |
		    sed 's/.*"\(.*\)")/--\1/'
		for f in "$src"/src/*.c; do
			awk '/export_params\[\] = \{/ { on = 1 }
			    on { print } on && /};/ { on = 0 }' "$f"
		done | grep -o '"[a-z_]*"' | tr -d '"' | sed 's/^/--/'
	} | sort -u
}

# The option letters of a program's getopt string.
getopt_letters() {
	sed -n 's/.*getopt(argc, argv, "\([^"]*\)").*/\1/p' "$1" |
	    tr -d '+:' | sed 's/./& /g'
}

# has PAGE REGEX: the page has a line matching the extended REGEX.
has() {
	grep -Eq "$2" "$1"
}

check_complete() {
	conf=$man/icommit.conf.5
	ctl=$man/icommitctl.8
	daemon=$man/icommitd.8
	for p in "$conf" "$ctl" "$daemon"; do
		[ -r "$p" ] || { problem "cannot read $p"; return; }
	done

	keys=$(config_keys)
	# An empty list means the table moved or changed shape: say so
	# rather than pass for want of anything to check.
	if [ "$(echo "$keys" | grep -c .)" -lt 5 ]; then
		problem "found too few keys in $conf_c (the table's shape changed?)"
		return
	fi
	for k in $keys; do
		has "$conf" "^\.It Ic $k( |\$)" ||
		    problem "icommit.conf.5: no entry '.It Ic $k' for the key $k"
	done
	# Each entry states its default, and names a key the parser knows.
	nodefault=$(awk '
		function flush() {
			if (key != "" && !dflt)
				print key
			key = ""
		}
		/^\.It Ic / { flush(); key = $3; dflt = 0; next }
		/^\.(It|El)/ { flush(); next }
		/[Tt]he default is/ { dflt = 1 }
		END { flush() }
	' "$conf")
	for k in $nodefault; do
		problem "icommit.conf.5: the entry for $k gives no default"
	done
	for k in $(sed -n 's/^\.It Ic \([^ ]*\).*/\1/p' "$conf"); do
		echo "$keys" | grep -qx "$k" ||
		    problem "icommit.conf.5: documents '$k', which src/config.c does not accept"
	done

	commands=$(ctl_commands)
	if [ "$(echo "$commands" | grep -c .)" -lt 5 ]; then
		problem "found too few commands in $ctl_c (the table's shape changed?)"
		return
	fi
	known=""
	echo "$commands" > "${tmp:?}/commands"
	while read -r name fn; do
		known="$known $name"
		subs=$(ctl_subcommands "$fn")
		if [ -z "$subs" ]; then
			has "$ctl" "^\.It Cm $name( |\$)" ||
			    problem "icommitctl.8: no entry '.It Cm $name'"
			continue
		fi
		for s in $subs; do
			known="$known $s"
			# "user add" has its own entry; the kinds of export
			# are a list inside the entry for export.
			has "$ctl" "^\.It Cm $name $s( |\$)" ||
			    { has "$ctl" "^\.It Cm $name( |\$)" &&
			    has "$ctl" "^\.It Cm $s( |\$)"; } ||
			    problem "icommitctl.8: no entry for '$name $s'"
		done
	done < "$tmp/commands"
	for w in $(sed -n 's/^\.It Cm \([^ ]*\).*/\1/p' "$ctl"); do
		echo "$known" | tr ' ' '\n' | grep -qx "$w" ||
		    problem "icommitctl.8: documents '$w', which src/icommitctl.c does not know"
	done
	for o in $(ctl_options); do
		# "--campaign" is written "Fl -campaign", "-o" "Fl o".
		has "$ctl" "^\.It Fl ${o#-}( |\$)" ||
		    problem "icommitctl.8: no entry '.It Fl ${o#-}' for the option $o"
	done
	for l in $(getopt_letters "$ctl_c"); do
		has "$ctl" "^\.It Fl $l( |\$)" ||
		    problem "icommitctl.8: no entry '.It Fl $l' for the option -$l"
	done
	for l in $(getopt_letters "$main_c"); do
		has "$daemon" "^\.It Fl $l( |\$)" ||
		    problem "icommitd.8: no entry '.It Fl $l' for the option -$l"
	done
}

check_lint() {
	if ! command -v mandoc >/dev/null 2>&1; then
		echo "check-man: mandoc is not installed: lint skipped" \
		    "(scripts/deps --test installs it)"
		exit 77
	fi
	for p in $pages; do
		out=$(mandoc -T lint -W warning "$man/$p" 2>&1)
		rc=$?
		if [ $rc -ne 0 ] || [ -n "$out" ]; then
			problem "$p: mandoc -T lint -W warning (exit $rc):"
			echo "$out" >&2
		fi
	done
}

# expect_failure WHAT: `complete` on the copies in $tmp/man must fail.
expect_failure() {
	if sh "$0" complete "$src" "$tmp/man" >/dev/null 2>&1; then
		problem "selftest: complete passed with $1"
	fi
	cp "$man"/* "$tmp/man/"
}

check_selftest() {
	mkdir "$tmp/man"
	cp "$man"/* "$tmp/man/"
	if ! sh "$0" complete "$src" "$tmp/man"; then
		problem "selftest: complete fails on the pages as they are"
		return
	fi
	first_key=$(config_keys | head -n 1)
	last_key=$(config_keys | tail -n 1)
	for k in $first_key $last_key; do
		sed -i "/^\.It Ic $k /d" "$tmp/man/icommit.conf.5"
		expect_failure "the entry for the key $k removed"
	done
	sed -i 's/^The default is 8\.$/Eight./' "$tmp/man/icommit.conf.5"
	expect_failure "a default left out"
	printf '.It Ic no_such_key No = Ar x\nThe default is x.\n' \
	    >> "$tmp/man/icommit.conf.5"
	expect_failure "a key the parser does not accept"
	sed -i '/^\.It Cm mail-queue/d' "$tmp/man/icommitctl.8"
	expect_failure "the entry for mail-queue removed"
	sed -i '/^\.It Cm user disable/d' "$tmp/man/icommitctl.8"
	expect_failure "the entry for user disable removed"
	sed -i '/^\.It Cm consultants/d' "$tmp/man/icommitctl.8"
	expect_failure "the export of consultants left out"
	sed -i '/^\.It Fl -no-bom/d' "$tmp/man/icommitctl.8"
	expect_failure "the option --no-bom left out"
	sed -i 's/^\.It Cm init$/.It Cm campaign add Ar slug/' \
	    "$tmp/man/icommitctl.8"
	expect_failure "a command icommitctl does not have"
	sed -i '/^\.It Fl V/d' "$tmp/man/icommitd.8"
	expect_failure "icommitd's -V left out"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

case $mode in
lint) check_lint ;;
complete) check_complete ;;
selftest) check_selftest ;;
*) usage ;;
esac

if [ $problems -ne 0 ]; then
	echo "check-man: $mode: $problems problem(s)" >&2
	exit 1
fi
echo "check-man: $mode: ok"
exit 0
