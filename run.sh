#!/usr/bin/env bash
# Builds and runs one SkillsHub node on http://localhost:5000 with the embedded default: a private
# PostgreSQL under ./.data/postgres (kept between runs), migrated and seeded on start.
# Extra arguments are passed to the server, e.g. --Urls=http://localhost:5001 --Orleans:SiloPort=11112.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/prerequisites.sh
exec dotnet run --project src/SkillsHub.Server -c Release --no-launch-profile -- \
  --Embedded:DataDirectory="$PWD/.data/postgres" "$@"
