# The private-Postgres harness: a throwaway cluster in a temporary directory, reachable through a
# Unix socket in that directory (and on 127.0.0.1:<port> when asked), with the extension available.
# As root the cluster runs as the `postgres` system user, because Postgres refuses to run as root.
# Source common.sh first.
#
#   sr_cluster_start DIR [PORT]   # PORT given: also listen on 127.0.0.1:PORT
#   sr_cluster_stop DIR
# After start: PGHOST, PGPORT, PGUSER, PGDATABASE are exported for psql/libpq.

sr_as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A TCP port nobody listens on (checked with bash's /dev/tcp), in a range away from the defaults.
sr_free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    tries=$((tries + 1))
  done
  sr_die "no free TCP port found"
}

# sr_start_reports_server LOG SERVER ARGS...: starts SERVER ARGS... --port P in the background on a
# free port P and waits until /health answers; sets SR_SERVER_PID and SR_SERVER_PORT. A port picked
# free can be taken by a parallel suite before the server binds it: then the server exits and the
# next port is tried (5 attempts). Dies with the log's tail when the server never comes up.
sr_start_reports_server() {
  local log="$1"; shift
  local attempt up
  SR_SERVER_PID="" SR_SERVER_PORT=""
  for attempt in 1 2 3 4 5; do
    SR_SERVER_PORT="$(sr_free_port)"
    "$@" --port "$SR_SERVER_PORT" >"$log" 2>&1 &
    SR_SERVER_PID=$!
    up=0
    for _ in $(seq 1 150); do
      if curl -sf "http://127.0.0.1:$SR_SERVER_PORT/health" >/dev/null 2>&1; then up=1; break; fi
      kill -0 "$SR_SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    [ "$up" = 1 ] && return 0
    kill "$SR_SERVER_PID" 2>/dev/null || true
    wait "$SR_SERVER_PID" 2>/dev/null || true
    SR_SERVER_PID=""
    sr_log "reports-server did not come up on port $SR_SERVER_PORT (attempt $attempt): $(tail -n 3 "$log" | tr '\n' ' ')"
  done
  sr_die "reports-server did not start"
}

sr_cluster_start() {
  local dir="$1" tcp_port="${2:-}"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 0755 "$dir"; fi
  # Without TCP the port only names the socket file, which lives in our own directory.
  local port="${tcp_port:-5432}"
  local listen="''"
  [ -n "$tcp_port" ] && listen="'127.0.0.1'"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    sr_as_pg_owner "$SR_PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; sr_die "initdb failed"; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = $listen
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_parallel_workers_per_gather = 2
jit = off
log_min_messages = warning
CONF
  fi
  # Reuse a cluster that is already running in this directory (an interrupted run may leave one).
  if ! sr_as_pg_owner "$SR_PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    sr_as_pg_owner "$SR_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postmaster.log" -w -t 60 start >/dev/null \
      || { tail -n 30 "$dir/postmaster.log" >&2; sr_die "could not start Postgres in $dir"; }
  fi
  export PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
}

sr_cluster_stop() {
  local dir="$1"
  [ -f "$dir/data/postmaster.pid" ] || return 0
  sr_as_pg_owner "$SR_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}
