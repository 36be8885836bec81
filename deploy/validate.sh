#!/usr/bin/env bash
# Checks of the deployment documents that need no Docker engine or Kubernetes cluster (the deploy tests,
# tests/SkillsHub.Deploy.Tests, run the same checks):
#   - compose.yaml against the Compose Specification schema and the manifests against the Kubernetes API
#     schemas, plus the project's rules (keys from secrets, PublicBaseUrl, probes, PDB, no ReadWriteMany);
#   - nginx -t of the rendered host configuration and of the compose one;
#   - systemd-analyze verify of the unit, when systemd-analyze is there.
set -euo pipefail
cd "$(dirname "$0")"
(cd validate && { [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null; } && node validate.mjs)
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
nginx="$(command -v nginx || echo /usr/sbin/nginx)"
# Each check fails the script: `nginx -t ... && echo ok` under set -e let a failing nginx -t through with exit 0
# (found by an outside tester).
check_nginx() {  # $1: what, then nginx's arguments
  local what="$1"; shift
  if ! "$nginx" -t -q "$@"; then echo "nginx ($what): FAILED" >&2; exit 1; fi
  echo "nginx ($what): ok"
}
# shellcheck disable=SC2034 # nginx_render reads both
(source ./lib.sh; RUN_DIR="$tmp/host"; SKILLSHUB_TLS_TERMINATORS="10.0.0.5"; mkdir -p "$RUN_DIR"; nginx_render 3)
check_nginx "host template" -c "$tmp/host/nginx.conf" -p "$tmp/host" -g "user $(id -un);"
# The compose file's upstreams are addresses on the compose network, its ports 80/443 need root, and its TLS files are
# the operator's: loopback addresses, free ports and a throwaway self-signed certificate stand in (nginx -t loads them).
mkdir -p "$tmp/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=skillshub.test -keyout "$tmp/tls/privkey.pem" -out "$tmp/tls/fullchain.pem" 2>/dev/null
port=$((20000 + RANDOM % 10000))
sed -e 's/server 172\.30\.0\.[0-9]*:8080/server 127.0.0.1:8080/' -e "s|listen 80;|listen 127.0.0.1:$port;|" -e "s|listen 443 ssl;|listen 127.0.0.1:$((port + 1)) ssl;|" \
  -e "s|/etc/nginx/tls/|$tmp/tls/|g" -e "s|/var/log/nginx/|$tmp/|g" compose/nginx.conf >"$tmp/compose.conf"
printf 'pid %s/nginx.pid; error_log %s/error.log; events {}\nhttp { access_log off; include %s/compose.conf; }\n' "$tmp" "$tmp" "$tmp" >"$tmp/nginx-compose.conf"
check_nginx "compose" -c "$tmp/nginx-compose.conf"
if command -v systemd-analyze >/dev/null; then
  cp systemd/skillshub@.service "$tmp/skillshub@1.service"
  # Its exit code counts too (found by an outside tester: an ExecStart that is not executable exits 1 and printed none of
  # the words below). The one complaint let through is the unit's own /usr/bin/dotnet missing on a machine without it.
  rc=0; out="$(systemd-analyze verify "$tmp/skillshub@1.service" 2>&1)" || rc=$?
  if grep -E "Unknown|Invalid|Failed to parse|bad" <<<"$out"; then exit 1; fi
  if [ "$rc" -ne 0 ] && { [ -x /usr/bin/dotnet ] || grep -v "Command /usr/bin/dotnet is not executable" <<<"$out" | grep -q .; }; then
    echo "$out"; echo "systemd unit: systemd-analyze verify exited $rc" >&2; exit 1
  fi
  echo "systemd unit: ok"
fi
