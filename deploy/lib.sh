# shellcheck shell=bash
# Shared by deploy/cluster.sh and deploy/failover-test.sh: one PostgreSQL, N SkillsHub nodes and nginx
# on one machine, all as background processes under deploy/.cluster (gitignored), killed by cluster_stop.
# Source it; it defines functions only.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$DEPLOY_DIR/.." && pwd)"
RUN_DIR="$(realpath -m "${SKILLSHUB_CLUSTER_DIR:-$DEPLOY_DIR/.cluster}")"
PG_PORT="${SKILLSHUB_PG_PORT:-55440}"
NGINX_PORT="${SKILLSHUB_NGINX_PORT:-8080}"
HTTP_BASE_PORT="${SKILLSHUB_HTTP_BASE_PORT:-5100}"      # node i: HTTP_BASE_PORT+i
SILO_BASE_PORT="${SKILLSHUB_SILO_BASE_PORT:-11110}"     # node i: silo SILO_BASE_PORT+i
ADMIN_USER="${SKILLSHUB_ADMIN_USER:-admin}"
ADMIN_PASSWORD="${SKILLSHUB_ADMIN_PASSWORD:-cluster admin password}"
SERVER_DLL="$REPO_DIR/src/SkillsHub.Server/bin/Release/net10.0/SkillsHub.Server.dll"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"   # empty until postgresql is installed
PG_DATA="$RUN_DIR/pg"
PG_SOCK="$RUN_DIR/sock"
# As root, PostgreSQL runs as the postgres user, which must be able to enter its data and socket folders. A checkout it
# cannot enter (root's home, a mktemp -d folder) keeps them under /var/lib/skillshub instead, one folder per cluster
# directory and the same on every run, as ./run.sh does for the embedded server (docs/deployment.md, "The launcher").
pg_locate() {
  if [ "$(id -u)" != 0 ] || ! id postgres >/dev/null 2>&1; then return 0; fi
  local reach="$RUN_DIR"
  while [ ! -d "$reach" ]; do reach="$(dirname "$reach")"; done
  if runuser -u postgres -- test -x "$reach"; then return 0; fi
  local home
  home="${SKILLSHUB_PG_FALLBACK_ROOT:-/var/lib/skillshub}/cluster-$(printf '%s' "$RUN_DIR" | sha256sum | cut -c1-12)"
  PG_DATA="$home/pg"
  PG_SOCK="$home/sock"
}
pg_locate
PG_PASSWORD_FILE="$RUN_DIR/pg.password"   # the postgres role's password, made by pg_start (mode 0600)
# Above nodes x 2 x Maximum Pool Size (docs/deployment.md): 6 nodes of pool 60 and room for the tools (an outside tester
# found 300 under the 360 that three nodes may open).
PG_MAX_CONNECTIONS="${SKILLSHUB_PG_MAX_CONNECTIONS:-800}"

# The nodes' connection string: loopback TCP with the password (docs/deployment.md, "The embedded PostgreSQL").
pg_conn() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=skillshub;Username=postgres;Password=$(cat "$PG_PASSWORD_FILE");Maximum Pool Size=60"; }

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

as_pg() {
  # initdb, pg_ctl and postgres refuse to run as root.
  # GLIBC_TUNABLES: PostgreSQL keeps freed memory instead of returning it after every statement
  # (docs/operations.md, "PostgreSQL's memory allocator").
  # As root from / : the postgres user may not be able to enter the current folder (a checkout under /root), and its tools
  # would say so ("could not change directory"; found by an outside tester), though nothing is wrong.
  if [ "$(id -u)" = 0 ]; then (cd / && GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864 runuser -u postgres -- "$@")
  else GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864 "$@"; fi
}

cluster_prerequisites() {
  local missing=()
  [ -n "$PG_BIN" ] || missing+=(postgresql)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian packages)"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
}

pg_start() {
  pg_locate   # again: cluster_prerequisites may have just made the postgres user
  mkdir -p "$PG_DATA" "$PG_SOCK"
  if [ "$PG_DATA" != "$RUN_DIR/pg" ]; then
    chmod 711 "$(dirname "$(dirname "$PG_DATA")")" "$(dirname "$PG_DATA")"
    log "the postgres user cannot enter $RUN_DIR: PostgreSQL's data in $PG_DATA"
  fi
  chmod 700 "$PG_SOCK"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA" "$PG_SOCK"; chmod 700 "$PG_DATA"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initdb $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  [ -s "$PG_PASSWORD_FILE" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PG_PASSWORD_FILE")
  # Who may connect, as the embedded server allows it (docs/deployment.md, "The embedded PostgreSQL"): over the socket
  # in its private folder without a password, over loopback TCP with the postgres role's password.
  printf '%s\n' "local all all trust" "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256" >"$PG_DATA/pg_hba.conf"
  # Durable, as in production: fsync and synchronous_commit stay on.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=$PG_MAX_CONNECTIONS" start >/dev/null
  # The password on standard input, not the command line, which other users of the machine can read.
  "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres -Atq >/dev/null <<<"alter role postgres password '$(cat "$PG_PASSWORD_FILE")'"
  # Compared whole, not piped into grep -q (which can make psql fail with SIGPIPE under pipefail).
  [ "$(psql_q postgres "select 1 from pg_database where datname = 'skillshub'")" = 1 ] \
    || psql_q postgres "create database skillshub" >/dev/null
  log "PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DATA)"
}

pg_stop() {  # $1: fast (default) or immediate (a crash, for tests)
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
}

pg_restart_after_crash() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=$PG_MAX_CONNECTIONS" start >/dev/null
}

psql_q() {  # $1: database, $2: sql (over the Unix socket)
  "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d "$1" -Atqc "$2"
}

node_url() { echo "http://127.0.0.1:$((HTTP_BASE_PORT + $1))"; }

# The keys every node shares (as in production: one secret per cluster, never per node), made once.
cluster_keys() {
  local key
  for key in credentials dataprotection; do
    [ -s "$RUN_DIR/$key.kek" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$RUN_DIR/$key.kek")
  done
}

node_start() {  # $1: node number (1..), extra server arguments after it
  local i="$1"; shift
  [ -f "$SERVER_DLL" ] || { log "missing $SERVER_DLL: dotnet build -c Release src/SkillsHub.Server"; return 1; }
  cluster_keys
  # setsid: its own process group, so a Ctrl-C in the terminal reaches only this script, which stops it.
  # Secrets (the connection string with its password, the first admin's password) go in the environment, which only
  # this user can read, not on the command line, which every local user can.
  ConnectionStrings__Postgres="$(pg_conn)" Bootstrap__AdminPassword="$ADMIN_PASSWORD" setsid dotnet exec "$SERVER_DLL" \
    --Urls="$(node_url "$i")" \
    --Orleans:SiloPort=$((SILO_BASE_PORT + i)) \
    --Orleans:AdvertisedIP=127.0.0.1 --Orleans:ClusterId=skillshub-local \
    --PublicBaseUrl="http://127.0.0.1:$NGINX_PORT" --Proxy:KnownProxies=127.0.0.1 \
    --Credentials:KeyEncryptionKeyFile="$RUN_DIR/credentials.kek" --DataProtection:KeyEncryptionKeyFile="$RUN_DIR/dataprotection.kek" \
    --Bootstrap:AdminUser="$ADMIN_USER" \
    --Jobs:WorkerCount=2 \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
    "$@" >"$RUN_DIR/node$i.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/node$i.pid"
  disown $!   # no "Killed" job notice when the failover test kills it
  log "node $i: pid $! on $(node_url "$i") (silo $((SILO_BASE_PORT + i))), log $RUN_DIR/node$i.log"
}

node_pid() { cat "$RUN_DIR/node$1.pid"; }

wait_ready() {  # $1: url, $2: timeout seconds
  local deadline=$((SECONDS + ${2:-120}))
  until curl -fsS -o /dev/null "$1/health/ready" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { log "$1 not ready after ${2:-120} s"; return 1; }
    sleep 1
  done
}

# Writes $RUN_DIR/nginx.conf and $RUN_DIR/skillshub.conf from the templates. $1: number of nodes.
nginx_render() {
  local nodes="" i
  for i in $(seq 1 "$1"); do nodes+="    server 127.0.0.1:$((HTTP_BASE_PORT + i)) max_fails=1 fail_timeout=2s;"$'\n'; done
  mkdir -p "$RUN_DIR/nginx-tmp"
  # TLS terminators in front of this nginx, whose X-Forwarded-Proto it passes on (docs/deployment.md).
  local terminators="" t
  for t in ${SKILLSHUB_TLS_TERMINATORS:-}; do terminators+="    $t 1;"$'\n'; done
  sed -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|" -e "s|@RUNDIR@|$RUN_DIR|g" "$DEPLOY_DIR/nginx/skillshub.conf.template" \
    | awk -v nodes="$nodes" -v terminators="$terminators" '{ if ($0 == "@NODES@") printf "%s", nodes; else if ($0 == "@TERMINATORS@") printf "%s", terminators; else print }' >"$RUN_DIR/skillshub.conf"
  sed -e "s|@RUNDIR@|$RUN_DIR|g" "$DEPLOY_DIR/nginx/nginx.conf.template" >"$RUN_DIR/nginx.conf"
}

nginx_start() {  # $1: number of nodes
  nginx_render "$1"
  local nginx; nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  "$nginx" -t -q -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" -g "user $(id -un);" 2>&1 | grep -v "could not open error log" >&2 || true
  setsid "$nginx" -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" -g "user $(id -un);" >"$RUN_DIR/nginx.out" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/nginx.master.pid"
  log "nginx: pid $! on http://127.0.0.1:$NGINX_PORT (config $RUN_DIR/skillshub.conf)"
}

# Kills what this script started, by pid: nodes (SIGTERM, then SIGKILL), nginx, then PostgreSQL.
cluster_stop() {
  local f pid
  for f in "$RUN_DIR"/node*.pid "$RUN_DIR/nginx.master.pid"; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$RUN_DIR"/node*.pid "$RUN_DIR/nginx.master.pid"; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  pg_stop fast
  log "cluster stopped"
}
