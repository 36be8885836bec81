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
(source ./lib.sh; RUN_DIR="$tmp/host"; mkdir -p "$RUN_DIR"; nginx_render 3)
"$nginx" -t -q -c "$tmp/host/nginx.conf" -p "$tmp/host" -g "user $(id -un);" && echo "nginx (host template): ok"
# The compose file's upstreams are service names only Docker resolves: checked with loopback addresses.
sed 's/server node[0-9]:8080/server 127.0.0.1:8080/' compose/nginx.conf >"$tmp/compose.conf"
printf 'pid %s/nginx.pid; error_log %s/error.log; events {}\nhttp { access_log off; include %s/compose.conf; }\n' "$tmp" "$tmp" "$tmp" >"$tmp/nginx-compose.conf"
"$nginx" -t -q -c "$tmp/nginx-compose.conf" && echo "nginx (compose): ok"
if command -v systemd-analyze >/dev/null; then
  cp systemd/skillshub@.service "$tmp/skillshub@1.service"
  out="$(systemd-analyze verify "$tmp/skillshub@1.service" 2>&1 || true)"
  if grep -E "Unknown|Invalid|Failed to parse|bad" <<<"$out"; then exit 1; fi
  echo "systemd unit: ok"
fi
