#!/usr/bin/env bash
# Failover under marking load (issue #9), on one machine:
#   1. a fresh PostgreSQL, three SkillsHub nodes and nginx (deploy/lib.sh, as deploy/cluster.sh);
#   2. SkillsHub.Bench failover: tablets post marks through nginx and resend every unanswered batch with
#      the same Idempotency-Key; spectators follow the standings over SignalR through nginx;
#   3. at --kill-at s node 2 gets kill -9; at --db-restart-at s PostgreSQL is crashed (pg_ctl -m immediate)
#      and started again, with no node restarted;
#   4. checks: every acknowledged mark has exactly one accepted row in skillshub.audit and is on the mark
#      sheets, no 500 answers, the killed node's spectators resumed from a snapshot within 10 s, and the
#      surviving nodes serve identical standings;
#   5. deployment checks (SkillsHub.Bench deploy-checks, docs/deployment.md): two client addresses keep separate
#      rate-limit buckets through nginx, a credential signed through the proxy names PublicBaseUrl, a sign-in
#      cookie from node 1 works on node 3, a credential signed on node 1 verifies on node 3.
# Exit code 0 = all checks passed. Everything started here is killed on exit.
#
#   deploy/failover-test.sh [--no-build] [bench options: --seconds 45 --kill-at 12 --db-restart-at 28 --tablets 8 --spectators 12]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BUILD=1
if [ "${1:-}" = "--no-build" ]; then BUILD=0; shift; fi
BENCH_DLL="$REPO_DIR/bench/SkillsHub.Bench/bin/Release/net10.0/SkillsHub.Bench.dll"

cluster_prerequisites
if [ "$BUILD" = 1 ]; then
  log "building (Release)"
  dotnet build -c Release "$REPO_DIR/bench/SkillsHub.Bench" -v q -nologo >/dev/null
fi

mkdir -p "$RUN_DIR"
trap cluster_stop EXIT
trap 'exit 130' INT TERM
cluster_stop 2>/dev/null   # leftovers of an interrupted run
rm -rf "$PG_DATA" "$RUN_DIR"/node*.log   # a fresh database every run

pg_start
# Pairing limited to 60 a minute per client (the tablets pair 8): the deploy checks run into it from one address.
NODE_ARGS=(--Demo:Seed=false --Security:SignInPerMinute=100000 --Security:PairingPerMinute=60)
node_start 1 "${NODE_ARGS[@]}"
wait_ready "$(node_url 1)" 180
node_start 2 "${NODE_ARGS[@]}"
node_start 3 "${NODE_ARGS[@]}"
wait_ready "$(node_url 2)" 180
wait_ready "$(node_url 3)" 180
nginx_start 3
wait_ready "http://127.0.0.1:$NGINX_PORT" 30
log "cluster up; silos: $(psql_q skillshub "select string_agg(port::text || ' status ' || status, ', ' order by port) from orleansmembershiptable")"

set +e
# The database's connection string and the admin's password reach the bench through its environment, not its command line.
# Assigned apart from the export, so a connection string that cannot be read stops here (export would hide its status).
SKILLSHUB_BENCH_PG="$(pg_conn)" || { echo "failover-test: cannot read the database's connection string" >&2; exit 1; }
export SKILLSHUB_BENCH_PG SKILLSHUB_ADMIN_PASSWORD="$ADMIN_PASSWORD"
dotnet exec "$BENCH_DLL" failover \
  --url "http://127.0.0.1:$NGINX_PORT" \
  --nodes "$(node_url 1),$(node_url 2),$(node_url 3)" \
  --kill-pid "$(node_pid 2)" --kill-node "$(node_url 2)" \
  --admin-user "$ADMIN_USER" \
  --db-crash "$DEPLOY_DIR/pg.sh crash" --db-start "$DEPLOY_DIR/pg.sh start" \
  "$@" 2>&1 | tee "$RUN_DIR/failover-result.txt"
status=${PIPESTATUS[0]}

# Deployment checks on the surviving nodes (1 and 3) and nginx: separate rate-limit buckets per client address,
# PublicBaseUrl in a credential signed through the proxy, a cookie from node 1 on node 3, a credential signed on
# node 1 verified on node 3.
dotnet exec "$BENCH_DLL" deploy-checks \
  --url "http://127.0.0.1:$NGINX_PORT" --public-url "http://127.0.0.1:$NGINX_PORT" \
  --node-a "$(node_url 1)" --node-c "$(node_url 3)" \
  --admin-user "$ADMIN_USER" 2>&1 | tee -a "$RUN_DIR/failover-result.txt"
deploy_status=${PIPESTATUS[0]}
[ "$status" = 0 ] && status=$deploy_status
set -e

log "silos afterwards: $(psql_q skillshub "select string_agg(port::text || ' status ' || status, ', ' order by port) from orleansmembershiptable")"
log "server errors logged: $(grep -c ' 500 \|fail: ' "$RUN_DIR"/node1.log "$RUN_DIR"/node3.log | tr '\n' ' ')"
[ "$status" = 0 ] && log "failover test PASSED" || log "failover test FAILED (exit $status); logs in $RUN_DIR"
exit "$status"
