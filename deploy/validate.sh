#!/usr/bin/env bash
# Syntax checks for the deployment documents (no Docker or Kubernetes needed): YAML parse of the
# compose file and the manifests, nginx -t of both nginx configurations, systemd-analyze when present.
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import yaml
for path in ["compose/compose.yaml", "k8s/skillshub.yaml"]:
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    print(f"{path}: {len(docs)} YAML document(s) ok")
PY
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
sed 's/server node[0-9]:8080/server 127.0.0.1:8080/' compose/nginx.conf >"$tmp/compose.conf"
sed -e "s|@LISTEN@|127.0.0.1:8080|" -e "s|@NODES@|    server 127.0.0.1:5101;|" nginx/skillshub.conf.template >"$tmp/local.conf"
for conf in compose.conf local.conf; do
  printf 'pid %s/nginx.pid; error_log %s/error.log; events {}\nhttp { access_log off; include %s/%s; }\n' "$tmp" "$tmp" "$tmp" "$conf" >"$tmp/nginx-$conf"
  "$(command -v nginx || echo /usr/sbin/nginx)" -t -q -c "$tmp/nginx-$conf" && echo "nginx $conf: ok"
done
if command -v systemd-analyze >/dev/null; then systemd-analyze verify systemd/skillshub@.service 2>&1 | grep -v "not found\|No such file" || true; fi
