#!/usr/bin/env bash
# Benchmark harness: scripts/bench.sh [N...] (default 100 1000 hosts, about 13 objects per host).
# Starts real source and target API servers per N, loads the synthetic fleet, and measures pivotctl
# export/import against kubectl and create baselines on the same servers. Prints a Markdown table and
# writes target/bench.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ $# -gt 0 ] || set -- 100 1000
scripts/setup-envtest.sh   # also installs /usr/bin/time (peak RSS)
if [ "${BENCH_SKIP_BUILD:-}" != "1" ] || [ ! -f target/pivotctl.jar ]; then
  mvn -B -q -ntp package -DskipTests
fi
mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.pivotctl.bench.Bench target/pivotctl.jar target/bench.json "$@"
