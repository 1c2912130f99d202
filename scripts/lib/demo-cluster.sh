# A private cluster with the extension and the demo data, for scripts/sqlsmith and scripts/load.
# Source common.sh and pg-harness.sh first.
#
#   sr_demo_cluster DIR DBNAME EVENTS   # starts the cluster in DIR, creates DBNAME with the
#                                      # Chatwoot schema, the extension and ~EVENTS demo events
# The extension must be installed into $SR_PG_BIN's Postgres (scripts/test or cmake --install).
sr_demo_cluster() {
  local dir="$1" db="$2" events="$3"
  local build_dir="${BUILD_DIR:-$SR_ROOT/build}"
  sr_cluster_start "$dir"
  psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
  psql -X -q -d "$db" -v ON_ERROR_STOP=1 -f "$SR_ROOT/sql/chatwoot_schema.sql" >/dev/null
  psql -X -q -d "$db" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION support_reports" >/dev/null
  "$SR_ROOT/scripts/demo-data" --db "host=$PGHOST port=$PGPORT dbname=$db user=postgres" --events "$events" \
    --build-dir "$build_dir" >"$dir/demo-data.log" 2>&1 || { tail -20 "$dir/demo-data.log" >&2; sr_die "demo data failed"; }
}
