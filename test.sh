#!/usr/bin/env bash
# Runs every SkillsHub test: domain unit tests, deployment checks, server/Orleans/PostgreSQL integration tests and
# the headless-Chromium page tests. Each fixture starts its own private PostgreSQL; nothing else is needed.
# ./test.sh --screenshots also saves the browser tests' pictures of every page for a person to look at
# (tests/SkillsHub.Web.Tests/bin/Release/net10.0/screenshots; docs/testing.md, "Screenshots").
set -euo pipefail
cd "$(dirname "$0")"
if [[ "${1:-}" == "--screenshots" ]]; then export SKILLSHUB_SCREENSHOTS=1; fi
./scripts/prerequisites.sh --browser
# The C# compiler as a server for the whole build (UseSharedCompilation): the projects compile one after another and
# each would otherwise start a compiler and load its references afresh; some machines turn the server off in their
# environment. Measured on fresh clones: 71 s and 136 core-seconds against 91 s and 155 (docs/testing.md, "The build").
# The server is stopped once the build is done, so nothing of the build outlives this script.
# The build's own .NET processes (MSBuild, the compiler server) compile their code once, fully optimised, instead of
# in tiers: most of what they run is short-lived, and the tiers' recompiling was about a third of the build's CPU.
# Measured on fresh clones: 90 to 109 core-seconds against 150 to 198 (docs/testing.md, "The build"). What is built
# is the same; the tests' own processes are not affected.
DOTNET_TieredCompilation=0 dotnet build SkillsHub.sln -c Release -p:UseSharedCompilation=true
dotnet build-server shutdown >/dev/null 2>&1 || true

# The suites spend most of their time waiting (on PostgreSQL, nodes starting, Chromium loading pages), so they run
# side by side; each has its own PostgreSQL, nodes and browser (docs/testing.md). Each suite's output is shown when
# it finishes.
logs=$(mktemp -d)
suites=(Domain Deploy Server Web)
declare -A pid
for s in "${suites[@]}"; do
  # The test nodes' own logs (a failure's server-side cause) go to files there too (docs/testing.md).
  # The server tests start ~60 nodes, each compiling its request delegates and data readers afresh: optimising that
  # code costs more than it saves there, so their JIT compiles without optimisations. The browser tests' two nodes
  # serve many requests, where optimised code pays (docs/testing.md, "Where the time goes"). What the code does is
  # the same either way; the build and the shipped server are untouched.
  minopts=0
  if [ "$s" = Server ]; then minopts=1; fi
  # Each suite takes loopback ports (PostgreSQL, nodes) from a part of the range of its own: two suites finding the
  # same port free and both binding it failed a run now and then (docs/testing.md).
  part=$((${part:--1} + 1))
  ports=$((20000 + 3000 * part))-$((22999 + 3000 * part))
  # The .NET processes of a test run (dotnet test, its runner, the test process) compile without dynamic PGO, whose
  # extra instrumented tier pays off only in long-running processes; the server and browser tests' projects already
  # turn it off for their own processes. The domain tests alone, in turn: 6.9 and 7.8 core-seconds against 9.2 and 10.4.
  SKILLSHUB_LOOPBACK_PORTS=$ports DOTNET_TieredPGO=0 DOTNET_JITMinOpts=$minopts SKILLSHUB_TEST_LOG_DIR="$logs/nodes-$s" dotnet test "tests/SkillsHub.$s.Tests" -c Release --no-build --logger "console;verbosity=minimal" > "$logs/$s.log" 2>&1 &
  pid[$s]=$!
done
echo "Running the ${suites[*]} tests side by side (logs: $logs) ..."
failed=()
for s in "${suites[@]}"; do
  if wait "${pid[$s]}"; then
    echo "== $s tests: passed"
    grep -E "^(Passed|Failed)!" "$logs/$s.log" || true
  else
    echo "== $s tests: FAILED"
    cat "$logs/$s.log"
    # The nodes' errors around the failure, and Hangfire's retries (the shutdown noise of stopped silos left out).
    grep -hE " (fail|crit): | warn: Hangfire" "$logs/nodes-$s"/* 2>/dev/null | grep -v "SiloLifecycleSubject\|Orleans.Messaging\|ConnectionManager" | cut -c1-2000 | tail -40 || true
    failed+=("$s")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed: ${failed[*]} (logs: $logs)"
  exit 1
fi
echo "All tests passed."
