#!/usr/bin/env bash
# Builds and runs one SkillsHub node on http://localhost:5000 with the embedded default: a private
# PostgreSQL under ./.data/postgres (kept between runs), migrated and seeded on start.
# Extra arguments are passed to the server, e.g. --Urls=http://localhost:5001 --Orleans:SiloPort=11112.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/prerequisites.sh
echo "Building the SkillsHub server (Release)..."
# With the compiler as a server for the build, stopped afterwards, and the build's processes compiled without tiers
# (test.sh says why for both).
DOTNET_TieredCompilation=0 dotnet build src/SkillsHub.Server -c Release -nologo -v q -clp:ErrorsOnly -p:UseSharedCompilation=true
dotnet build-server shutdown >/dev/null 2>&1 || true
# exec: the built server replaces this shell, so one process runs (no `dotnet run` host beside it) and
# Ctrl-C or SIGTERM reach the server itself.
exec dotnet exec "$PWD/src/SkillsHub.Server/bin/Release/net10.0/SkillsHub.Server.dll" \
  --Embedded:DataDirectory="$PWD/.data/postgres" "$@"
