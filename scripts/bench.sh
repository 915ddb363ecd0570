#!/usr/bin/env bash
# Benchmark harness: scripts/bench.sh [--base REV] [N...] (default 100 1000 hosts, about 13.3 objects per host; the issue-15 run is
# `scripts/bench.sh 1000 5000`, 13,300 and 66,500 objects, about half an hour on 2 cores).
# For each N in one go: fresh real source and target API servers, the synthetic fleet loaded cluster by cluster, then
# pivotctl export (file, S3, signed), validate, import and verify against kubectl and create baselines on the same servers, with pivotctl's
# CPU seconds (user+sys from /usr/bin/time) per 1,000 objects; then, on fresh servers, the pivot window: export --pause,
# validate, import, verify, release-source --yes --verified-on (scripted BMO, garbage collector when built), each step's
# share of the total. Prints a
# Markdown table (ratios, scaling from the smallest to the largest N, the machine) and writes target/bench.json
# (rewritten after each N). Exits 1 when any step fails or verify does not find the target equal after the import.
# pivotctl itself runs with -Xmx256m; the harness JVM (fleet loading, baselines, S3Proxy) gets BENCH_JAVA_OPTS
# (default -Xmx1g: only the clusters in flight and S3Proxy's copy of one archive are held).
# BENCH_SKIP_BUILD=1 reuses target/pivotctl.jar and the compiled test classes.
# Issue 20's rows: a signed export (file and S3), validate --verify-key, the import row imports that signed archive with
# --require-signature --verify-key, backups list (folder and S3 prefix) and inspect s3://, with a line per N saying
# whether each stayed under 450 MB peak RSS.
# Base comparison (issue 23): `--base REV` (a commit, e.g. 8d87dad) builds REV's jar once in a temporary git worktree under
# target/ (kept as target/base-<sha>.jar, reused by later runs; the worktree is removed), or BENCH_BASE_JAR=/path/to.jar
# names a jar already built. Each N then also runs the base jar's export, import (into a second target server, as empty
# as the first) and verify, each right after ours, and the report compares CPU seconds per 1,000 objects per command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
usage="usage: scripts/bench.sh [--base REV] [N...] (e.g. scripts/bench.sh --base 8d87dad 1000 5000)"
base_rev=""
hosts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) [ $# -ge 2 ] && [ -n "$2" ] || { echo "bench.sh: --base needs a commit; $usage" >&2; exit 2; }; base_rev="$2"; shift 2 ;;
    --base=*) base_rev="${1#--base=}"; [ -n "$base_rev" ] || { echo "bench.sh: --base needs a commit; $usage" >&2; exit 2; }; shift ;;
    -*) echo "bench.sh: unknown option '$1'; $usage" >&2; exit 2 ;;
    *) hosts+=("$1"); shift ;;
  esac
done
[ ${#hosts[@]} -gt 0 ] || hosts=(100 1000)
for n in "${hosts[@]}"; do
  case "$n" in
    ''|*[!0-9]*|0) echo "bench.sh: host count must be a positive integer, got '$n' (e.g. scripts/bench.sh 1000 5000)" >&2; exit 2 ;;
  esac
done
base_jar="${BENCH_BASE_JAR:-}"
if [ -n "$base_rev" ] && [ -n "$base_jar" ]; then
  echo "bench.sh: give the base once: --base $base_rev or BENCH_BASE_JAR=$base_jar, not both" >&2; exit 2
fi
if [ -n "$base_jar" ] && [ ! -f "$base_jar" ]; then
  echo "bench.sh: BENCH_BASE_JAR=$base_jar is not a file (build it, or use --base REV)" >&2; exit 2
fi
base_sha=""
if [ -n "$base_rev" ]; then
  base_sha="$(git rev-parse --verify --quiet "$base_rev^{commit}")" || { echo "bench.sh: --base $base_rev is not a commit of this repository" >&2; exit 2; }
fi
scripts/setup-envtest.sh   # also installs /usr/bin/time (peak RSS)
if [ "${BENCH_SKIP_BUILD:-}" != "1" ] || [ ! -f target/pivotctl.jar ]; then
  mvn -B -q -ntp package -DskipTests
fi
# The base commit's jar, built once in a worktree of its own under target/ and kept as target/base-<sha>.jar.
if [ -n "$base_sha" ]; then
  base_jar="target/base-${base_sha:0:12}.jar"
  if [ -f "$base_jar" ]; then
    echo "bench.sh: base $base_rev: reusing $base_jar" >&2
  else
    wt="target/base-src-${base_sha:0:12}"
    git worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
    git worktree prune
    trap 'git worktree remove --force "$wt" 2>/dev/null || true' EXIT
    echo "bench.sh: building the base jar of $base_rev (${base_sha:0:12}) in $wt" >&2
    git worktree add --detach --quiet "$wt" "$base_sha"
    (cd "$wt" && mvn -B -q -ntp package -Dmaven.test.skip=true)
    cp "$wt/target/pivotctl.jar" "$base_jar.tmp" && mv "$base_jar.tmp" "$base_jar"
    git worktree remove --force "$wt"
    trap - EXIT
  fi
fi
mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >/dev/null
base_args=()
[ -z "$base_jar" ] || base_args=(--base-jar "$base_jar")
# shellcheck disable=SC2086 # word splitting of the option list is intended
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.pivotctl.bench.Bench target/pivotctl.jar target/bench.json "${base_args[@]}" "${hosts[@]}"
