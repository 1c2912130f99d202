# Shared by scripts/test, scripts/run, the benchmarks and the test harness. Source it; it defines
# functions only.

SR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SR_PG_VERSION=15
# SR_PG_BIN may point at another (relocated) Postgres 15 installation, so that two checkouts can
# build, install and test side by side without overwriting each other's extension files.
SR_PG_BIN="${SR_PG_BIN:-/usr/lib/postgresql/${SR_PG_VERSION}/bin}"

sr_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
sr_die() { sr_log "error: $*"; exit 1; }

sr_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages the build, the tests and the server need, running apt-get update at
# most once, and only when something is missing.
sr_install_deps() {
  local pkgs=(build-essential cmake pkg-config git
              "postgresql-${SR_PG_VERSION}" "postgresql-server-dev-${SR_PG_VERSION}" postgresql-client-common
              libpqxx-dev nlohmann-json3-dev libcrypt-dev libgtest-dev libcurl4-openssl-dev curl wrk
              nginx clang libclang-rt-dev
              libjs-chart.js chromium)
  # The browser test's npm packages need node and npm; a node installed otherwise (not from
  # Debian) is kept, since Debian's npm would conflict with it.
  command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
  local missing=()
  local p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  sr_log "installing: ${missing[*]}"
  # The proxy test runs its own nginx; keep the package from starting the system service on port 80
  # (a policy-rc.d that denies starts, only for this install, unless one is already there).
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | sr_sudo tee "$policy" >/dev/null && sr_sudo chmod 0755 "$policy" && made_policy=1
  fi
  local rc=0
  sr_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || rc=$?
  [ $rc -ne 0 ] || sr_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  if [ "$made_policy" = 1 ]; then sr_sudo rm -f "$policy"; fi
  return $rc
}

# Configures, builds and installs the extension into the Postgres that pg_config names.
sr_build_and_install() {
  local build_dir="$1" build_type="$2"
  shift 2
  cmake -S "$SR_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DPG_CONFIG="$SR_PG_BIN/pg_config" "$@" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- ' || true
  [ "${PIPESTATUS[0]}" = 0 ] || sr_die "build failed"
  sr_sudo cmake --install "$build_dir" >/dev/null
}

# The npm packages of the browser and OpenAPI tests (tests/web/package-lock.json: puppeteer-core,
# which drives Debian's chromium and never downloads a browser of its own, and swagger-parser),
# installed into tests/web/node_modules when missing or older than the lock file.
sr_install_node_deps() {
  local web="$SR_ROOT/tests/web"
  if [ -d "$web/node_modules" ] && [ "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then return 0; fi
  sr_log "installing the web tests' npm packages (tests/web/package-lock.json)"
  (cd "$web" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) || sr_die "npm ci failed in tests/web"
}
