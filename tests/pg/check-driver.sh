#!/usr/bin/env bash
# check-driver.sh: the PostgreSQL driver against a real server.
#   tests/pg/check-driver.sh REPO_ROOT TEST_BINARY
# Starts a throwaway cluster (scripts/lib/pg.sh; or uses the running one
# named by ICOMMIT_PG_HOST and ICOMMIT_PG_PORT), makes two empty databases
# and runs TEST_BINARY (tests/pg/test_pg_driver.c) with their URIs; then
# checks that what the driver logged holds no value of a statement (the
# person@example.org of a failing cast, the bytes of a token). Exits 0 when
# all holds, 1 on a failure, 77 (skipped) without PostgreSQL's server.
set -uo pipefail
root=$(cd "${1:?usage: check-driver.sh REPO_ROOT TEST_BINARY}" && pwd) || exit 1
bin=${2:?usage: check-driver.sh REPO_ROOT TEST_BINARY}
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"

if ! pg_find_bin; then
	echo "skipped: PostgreSQL's server is not installed (initdb, pg_ctl)"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/icommit-pgdriver.XXXXXX") || exit 1
chmod 0755 "$work"
cluster=
dbs=()
cleanup() {
	local d
	for d in "${dbs[@]}"; do
		pg_psql "$cluster_dir" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
	done
	[[ -n $cluster ]] && pg_stop "$cluster" immediate
	rm -rf "$work"
}
trap cleanup EXIT

if [[ -n ${ICOMMIT_PG_HOST:-} && -n ${ICOMMIT_PG_PORT:-} ]]; then
	cluster_dir=$(dirname "$ICOMMIT_PG_HOST")
else
	cluster=$work/pg
	cluster_dir=$cluster
	pg_start "$cluster" >/dev/null || { echo "FAIL: could not start a cluster"; exit 1; }
fi
suffix=$$_$RANDOM
for tag in driver migrate; do
	pg_createdb "$cluster_dir" "icommit_driver_${tag}_$suffix" >/dev/null || { echo "FAIL: createdb"; exit 1; }
	dbs+=("icommit_driver_${tag}_$suffix")
done

"$bin" "$(pg_uri "$cluster_dir" "${dbs[0]}")" "$(pg_uri "$cluster_dir" "${dbs[1]}")" 2>"$work/stderr"
rc=$?
cat "$work/stderr" >&2
if grep -q 'person@example\.org' "$work/stderr"; then
	echo "FAIL: the log quotes a value of a statement"
	rc=1
fi
exit "$rc"
