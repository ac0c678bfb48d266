#!/usr/bin/env bash
# Runs the suite with the wall clock moved to a given UTC time of today (default 18:30 UTC, that
# is 01:30 in Việt Nam: quiet hours, and the commune's date is a day ahead of the UTC date), so a
# test that reads "today" in the wrong zone fails here whatever hour CI happens to run at.
# Usage: npm run test:night [-- <vitest args>]; TT_TEST_AT_UTC=HH:MM picks another hour.
#
# libfaketime (Debian's 0.9.10) moves the wall clock only: timers and durations (the monotonic
# clock) stay true. How it is set matters:
# - an offset ("-12345"), not a start time ("@..."): with a start time every new process starts
#   its own clock at that moment, so a controller spawned ten minutes into the run would be ten
#   minutes behind the test that spawned it; with an offset every process reads the same clock;
# - NO_FAKE_STAT=1: otherwise every intercepted stat() takes a semaphore shared by all processes
#   under this faketime, and a process killed inside one (the tests SIGKILL controllers) leaves it
#   taken: from then on every process that stats hangs for good. A CI run lost 41 test files so
#   (vitest: "Timeout waiting for worker to respond"), and a C stat loop killed under faketime
#   hangs the next stat here. The tests do not need file times moved.
set -euo pipefail
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 2; }
at="${TT_TEST_AT_UTC:-18:30}"
target="$(date -u -d "$(date -u +%F) ${at}:00" +%s)"
offset=$((target - $(date -u +%s)))
echo "== wall clock moved to $(date -u -d "@${target}" '+%F %T') UTC (offset ${offset} s)"
export FAKETIME_DONT_FAKE_MONOTONIC=1
export NO_FAKE_STAT=1
export TZ=UTC
exec faketime -f "$(printf '%+d' "${offset}")" npx vitest run "$@"
