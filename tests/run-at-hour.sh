#!/usr/bin/env bash
# Runs the suite with the wall clock moved to a given UTC time of today (default 18:30 UTC, that
# is 01:30 in Việt Nam: quiet hours, and the commune's date is a day ahead of the UTC date), so a
# test that reads "today" in the wrong zone fails here whatever hour CI happens to run at.
# Usage: npm run test:night [-- <vitest args>]; TT_TEST_AT_UTC=HH:MM picks another hour.
# libfaketime moves the wall clock only: timers and durations (the monotonic clock) stay true.
set -euo pipefail
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 2; }
at="${TT_TEST_AT_UTC:-18:30}"
start="$(date -u +%F) ${at}:00"
echo "== wall clock starts at ${start} UTC"
export FAKETIME_DONT_FAKE_MONOTONIC=1
export TZ=UTC
exec faketime -f "@${start}" npx vitest run "$@"
