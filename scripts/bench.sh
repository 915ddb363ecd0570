#!/usr/bin/env bash
# Benchmark harness: scripts/bench.sh [N...] (default 100 1000 hosts, about 13.3 objects per host; the issue-15 run is
# `scripts/bench.sh 1000 5000`, 13,300 and 66,500 objects, about half an hour on 2 cores).
# For each N in one go: fresh real source and target API servers, the synthetic fleet loaded cluster by cluster, then
# pivotctl export (file, S3), import and verify against kubectl and create baselines on the same servers, with pivotctl's
# CPU seconds (user+sys from /usr/bin/time) per 1,000 objects; then, on fresh servers, the pivot window: export --pause,
# validate, import, verify, release-source --yes --verified-on (scripted BMO, garbage collector when built), each step's
# share of the total. Prints a
# Markdown table (ratios, scaling from the smallest to the largest N, the machine) and writes target/bench.json
# (rewritten after each N). Exits 1 when any step fails or verify does not find the target equal after the import.
# pivotctl itself runs with -Xmx256m; the harness JVM (fleet loading, baselines, S3Proxy) gets BENCH_JAVA_OPTS
# (default -Xmx1g: only the clusters in flight and S3Proxy's copy of one archive are held).
# BENCH_SKIP_BUILD=1 reuses target/pivotctl.jar and the compiled test classes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ $# -gt 0 ] || set -- 100 1000
for n in "$@"; do
  case "$n" in
    ''|*[!0-9]*|0) echo "bench.sh: host count must be a positive integer, got '$n' (e.g. scripts/bench.sh 1000 5000)" >&2; exit 2 ;;
  esac
done
scripts/setup-envtest.sh   # also installs /usr/bin/time (peak RSS)
if [ "${BENCH_SKIP_BUILD:-}" != "1" ] || [ ! -f target/pivotctl.jar ]; then
  mvn -B -q -ntp package -DskipTests
fi
mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >/dev/null
# shellcheck disable=SC2086 # word splitting of the option list is intended
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.pivotctl.bench.Bench target/pivotctl.jar target/bench.json "$@"
