#!/usr/bin/env bash
# A three-node SkillsHub cluster on one machine: one PostgreSQL (deploy/.cluster/pg, started with initdb
# and pg_ctl as the postgres user, like the project's private PostgreSQL), three server processes (HTTP
# 5101-5103, silo 11111-11113; no Orleans gateway, docs/security.md) forming one Orleans cluster through the ADO.NET
# membership table, and nginx on http://127.0.0.1:8080 in front. Runs until Ctrl-C, then stops all of it.
#
#   deploy/cluster.sh [--nodes 3] [--no-build] [-- extra server arguments, e.g. --Demo:Seed=false]
#
# Admin sign-in: $SKILLSHUB_ADMIN_USER / $SKILLSHUB_ADMIN_PASSWORD (default admin / "cluster admin password").
set -euo pipefail
source "$(dirname "$0")/lib.sh"

NODES=3
BUILD=1
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "usage: $0 [--nodes N] [--no-build] [-- server arguments]" >&2; exit 2 ;;
  esac
done

cluster_prerequisites
[ "$BUILD" = 0 ] || dotnet build -c Release "$REPO_DIR/src/SkillsHub.Server" -v q -nologo >/dev/null
mkdir -p "$RUN_DIR"
trap cluster_stop EXIT
trap 'exit 130' INT TERM

pg_start
# The first node applies migrations alone (they take an advisory lock anyway), the others join.
node_start 1 "${EXTRA[@]}"
wait_ready "$(node_url 1)" 180
for i in $(seq 2 "$NODES"); do node_start "$i" "${EXTRA[@]}"; done
for i in $(seq 2 "$NODES"); do wait_ready "$(node_url "$i")" 180; done
nginx_start "$NODES"
wait_ready "http://127.0.0.1:$NGINX_PORT" 30

log "cluster up: http://127.0.0.1:$NGINX_PORT (nodes: $(for i in $(seq 1 "$NODES"); do printf '%s ' "$(node_url "$i")"; done))"
log "members: $(psql_q skillshub "select string_agg(address || ':' || port || '=' || status, ', ') from orleansmembershiptable where deploymentid = 'skillshub-local'" 2>/dev/null || echo '?')"
log "Ctrl-C stops the nodes, nginx and PostgreSQL (data stays in $PG_DATA)"
# A node that exits is started again, whatever its exit code (the shipped systemd unit restarts always, but not after exit code 1: a setting it cannot use), while the others go on
# serving (found by an outside tester: one node's crash stopped the whole cluster). One that exits a fourth time is left
# down; the script ends when no node is left.
declare -A exits
while sleep 5; do
  down=0
  for i in $(seq 1 "$NODES"); do
    kill -0 "$(node_pid "$i")" 2>/dev/null && continue
    exits[$i]=$(( ${exits[$i]:-0} + 1 ))
    if [ "${exits[$i]}" -gt 3 ]; then
      [ "${exits[$i]}" -eq 4 ] && log "node $i exited a fourth time; left down (see $RUN_DIR/node$i.log)"
      down=$((down + 1))
      continue
    fi
    mv -f "$RUN_DIR/node$i.log" "$RUN_DIR/node$i.previous.log" 2>/dev/null || true
    log "node $i exited (its log: $RUN_DIR/node$i.previous.log); the other nodes go on serving; starting it again"
    node_start "$i" "${EXTRA[@]}"
  done
  if [ "$down" -eq "$NODES" ]; then log "no node left"; exit 1; fi
done
