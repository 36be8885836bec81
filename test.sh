#!/usr/bin/env bash
# Runs every SkillsHub test: domain unit tests, server/Orleans/PostgreSQL integration tests and the
# headless-Chromium page tests. Each fixture starts its own private PostgreSQL; nothing else is needed.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/prerequisites.sh --browser
dotnet test SkillsHub.sln -c Release --logger "console;verbosity=minimal"
