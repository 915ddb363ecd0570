#!/usr/bin/env bash
# The test command: ensures the envtest binaries (and the age CLI), then runs unit and
# integration tests (integration tests use real kube-apiserver 1.20.2 + etcd servers).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
scripts/setup-envtest.sh
exec mvn -B -ntp verify "$@"
