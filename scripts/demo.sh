#!/usr/bin/env bash
# Placeholder main-job command until the full pivot demo lands: builds pivotctl and shows its help.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ -f target/pivotctl.jar ] || mvn -B -q -ntp package -DskipTests
scripts/pivotctl --help
