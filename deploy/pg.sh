#!/usr/bin/env bash
# The cluster's PostgreSQL (deploy/.cluster/pg): start | stop | crash (pg_ctl -m immediate stop) | psql.
# deploy/failover-test.sh uses "crash" and "start" to restart the database under load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  start) pg_restart_after_crash ;;
  stop) pg_stop fast ;;
  crash) pg_stop immediate ;;
  psql) shift; exec "$PG_BIN/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d skillshub "$@" ;;
  *) echo "usage: $0 start|stop|crash|psql" >&2; exit 2 ;;
esac
