#!/usr/bin/env bash
# Downloads the upstream CRDs the tests install (Cluster API, CAPM3, baremetal-operator, Metal3 IPAM, in-cluster IPAM)
# at the commits pinned in scripts/upstream-crds.txt into target/crds, checking each file's git blob id. They are
# never committed to this repository. The tests read PIVOTCTL_CRDS, then target/crds, then ../shared/crds.
# Needs network access to raw.githubusercontent.com; without it, it stops with one line and leaves target/crds as it was.
# Usage: scripts/fetch-crds.sh [DEST]   (DEST defaults to target/crds)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pins="$here/scripts/upstream-crds.txt"
dest="${1:-$here/target/crds}"
base="${PIVOTCTL_CRDS_BASE_URL:-https://raw.githubusercontent.com}"

fail() { printf 'fetch-crds: %s\n' "$*" >&2; exit 1; }

command -v curl >/dev/null || fail "curl is not installed (apt-get install curl)"

# git's blob id of a file, without needing git: sha1 of "blob <size>\0<content>"
blob_id() { { printf 'blob %d\0' "$(stat -c %s "$1")"; cat "$1"; } | sha1sum | cut -d' ' -f1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/pivotctl-crds.XXXXXX")"
trap 'rm -rf "$work"' EXIT

count=0
while read -r local repo commit path blob; do
  case "$local" in ''|'#'*) continue ;; esac
  url="$base/$repo/$commit/$path"
  mkdir -p "$work/$(dirname "$local")"
  if ! err="$(curl -fsSL --connect-timeout 10 --max-time 120 --retry 2 -o "$work/$local" "$url" 2>&1)"; then
    fail "cannot download $url: ${err##*curl: } (no network access to ${base#https://}? the tests also read PIVOTCTL_CRDS or ../shared/crds)"
  fi
  got="$(blob_id "$work/$local")"
  [ "$got" = "$blob" ] || fail "$url is not the pinned file (git blob $got, expected $blob): refusing it"
  count=$((count + 1))
done < "$pins"

[ "$count" -gt 0 ] || fail "no CRD listed in $pins"
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.partial"
cp -r "$work" "$dest.partial"
rm -rf "$dest"
mv "$dest.partial" "$dest"
printf 'fetch-crds: %d upstream CRDs in %s\n' "$count" "$dest"
