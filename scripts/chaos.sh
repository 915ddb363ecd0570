#!/usr/bin/env bash
# Chaos runs: SIGKILL an apiserver at K seeded random points (default 10) and check that every run ends clean.
#   import  (the default): the target apiserver during an import; clean is a complete rollback, or every object
#           exactly once after riding out the outage or --resume, with no foreign object touched.
#   release: the source apiserver during release-source --yes, with the garbage-collector and namespace
#           controllers running and a scripted BMO answering detach; clean is exactly the objects the plan deletes
#           gone (after riding out the outage, or after one re-run, which must finish), nothing else.
# Prints the tally, e.g. "10/10 clean".
#   scripts/chaos.sh [import|release] [K] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=import
if [ "${1:-}" = import ] || [ "${1:-}" = release ]; then
    mode="$1"
    shift
fi
test=ChaosIT
[ "$mode" = release ] && test=ReleaseChaosIT
runs="${1:-10}"
seed="${2:-20261125}"
scripts/setup-envtest.sh   # the apiserver and kube-controller-manager binaries and age, as scripts/test.sh does
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
mvn -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dit.test="$test" -Dpivotctl.chaos.runs="$runs" -Dpivotctl.chaos.seed="$seed" >"$log" 2>&1
rc=$?
set -e
# the test prints "CHAOS N/K clean (seed S)" and one line per run
grep -A"$runs" '^CHAOS ' "$log" | sed 's/^CHAOS //' | tail -n "$runs" || true
tally="$(grep '^CHAOS ' "$log" | head -1 | sed 's/^CHAOS //; s/ (seed.*//' || true)"
if [ -z "$tally" ]; then
    echo "chaos run did not report a tally (mvn exit $rc); last lines:" >&2
    tail -30 "$log" >&2
    exit 1
fi
echo "$tally"
exit "$rc"
