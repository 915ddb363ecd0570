#!/usr/bin/env bash
# Provides envtest-style binaries (kube-apiserver 1.20.2, kube-controller-manager 1.20.2, etcd,
# kubectl) for the integration tests and the demo. The controller-manager runs the garbage-collector
# and namespace controllers wherever a test deletes: every real cluster cascades deletes through
# ownerReferences and namespaces, and a test that deletes without them proves nothing. Docker does not run on our machines, so we build the apiserver from
# Debian's `kubernetes` source package, with three fixes that the Go 1.15-era source needs
# under Debian's Go 1.19 (see the foundation issue / README "Test servers").
# Idempotent: does nothing when the binaries are already installed. Also installs the `age` CLI
# (the interoperability oracle of our encryption tests).
set -euo pipefail

K8S_VERSION=1.20.2
DEST="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
CACHE="${PIVOTCTL_BUILD_CACHE:-$HOME/.cache/pivotctl-envtest}"

say() { printf '[setup-envtest] %s\n' "$*" >&2; }
die() { printf '[setup-envtest] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: install packages by hand: golang-go etcd-server rsync jq age dpkg-dev"
  SUDO="sudo"
fi

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then say "apt-get update"; $SUDO apt-get update -qq; apt_updated=1; fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Tools the tests use directly, even when the apiserver is already built.
apt_install age jq time

if [ -x "$DEST/kube-apiserver" ] && [ -x "$DEST/kube-controller-manager" ] && [ -x "$DEST/etcd" ] && [ -x "$DEST/kubectl" ]; then
  say "binaries present in $DEST"
  exit 0
fi

apt_install golang-go etcd-server rsync jq dpkg-dev golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev
command -v kubectl >/dev/null || apt_install kubernetes-client || die "no kubectl found and none installable"

mkdir -p "$CACHE" "$DEST"
SRC_ROOT="$CACHE/src"
BIN="$CACHE/kube-apiserver-${K8S_VERSION}"
KCM="$CACHE/kube-controller-manager-${K8S_VERSION}"

if [ ! -x "$BIN" ] || [ ! -x "$KCM" ]; then
  if ! ls "$SRC_ROOT"/kubernetes-*/Makefile >/dev/null 2>&1; then
    # Debian source indexes: a deb-src copy of the existing Debian entry.
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
      say "enabling Debian source indexes"
      if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee /etc/apt/sources.list.d/pivotctl-deb-src.sources >/dev/null
      else
        grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee /etc/apt/sources.list.d/pivotctl-deb-src.list >/dev/null
      fi
      $SUDO apt-get update -qq
    fi
    rm -rf "$SRC_ROOT"; mkdir -p "$SRC_ROOT"
    say "downloading the Debian kubernetes source package"
    (cd "$SRC_ROOT" && apt-get source -qq --download-only "kubernetes=${K8S_VERSION}*" >/dev/null 2>&1 || apt-get source -qq --download-only kubernetes >/dev/null)
    say "unpacking"
    (cd "$SRC_ROOT" && dpkg-source -x --no-check ./*.dsc >/dev/null)
  fi
  SRC=$(dirname "$(ls "$SRC_ROOT"/kubernetes-*/Makefile | head -1)")
  say "source: $SRC"

  say "fix (a): vendor reflect2 <- Debian's 1.0.2 (avoids SIGSEGV in map iteration under Go 1.19)"
  rm -rf "$SRC/vendor/github.com/modern-go/reflect2"
  cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$SRC/vendor/github.com/modern-go/reflect2"
  rm -f "$SRC/vendor/github.com/modern-go/reflect2/go.mod"

  say "fix (b): vendor json-iterator <- Debian's 1.1.12 (matches reflect2 1.0.2)"
  rm -rf "$SRC/vendor/github.com/json-iterator/go"
  cp -r /usr/share/gocode/src/github.com/json-iterator/go "$SRC/vendor/github.com/json-iterator/go"
  rm -f "$SRC/vendor/github.com/json-iterator/go/go.mod" "$SRC/vendor/github.com/json-iterator/go/go.sum"
  find "$SRC/vendor/github.com/json-iterator/go" -name '*_test.go' -delete

  say "fix (c): openapi validate: empty strings in custom resources are not null"
  for f in "$SRC/vendor/github.com/go-openapi/validate/type.go" "$SRC/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go"; do
    [ -f "$f" ] || continue
    sed -i 's/if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {/if data == nil {/' "$f"
    grep -q 'reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data))' "$f" && die "patch (c) did not apply to $f"
  done
  # `reflect` may now be unused in those files; goimports is not available, so fix by hand.
  for f in "$SRC/vendor/github.com/go-openapi/validate/type.go" "$SRC/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go"; do
    [ -f "$f" ] || continue
    if ! grep -q 'reflect\.' "$f"; then sed -i '/^\s*"reflect"$/d' "$f"; fi
  done

  say "building cmd/kube-apiserver and cmd/kube-controller-manager (about 7 minutes on 2 cores from cold)"
  export GOPATH="$CACHE/gopath" GOCACHE="$CACHE/gocache" CGO_ENABLED=0 GOFLAGS=-mod=vendor GO111MODULE=on
  (cd "$SRC" && make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >"$CACHE/build.log" 2>&1) || { tail -40 "$CACHE/build.log" >&2; die "kube-apiserver/kube-controller-manager build failed (log: $CACHE/build.log)"; }
  built=$(find "$SRC/_output" -type f -name kube-apiserver | head -1)
  [ -x "$built" ] || die "build produced no kube-apiserver binary"
  cp "$built" "$BIN"
  built=$(find "$SRC/_output" -type f -name kube-controller-manager | head -1)
  [ -x "$built" ] || die "build produced no kube-controller-manager binary"
  cp "$built" "$KCM"
  rm -rf "$SRC_ROOT" "$GOCACHE"   # 2+ GB we no longer need
fi

say "installing into $DEST"
cp "$BIN" "$DEST/kube-apiserver"
cp "$KCM" "$DEST/kube-controller-manager"
ln -sf "$(command -v etcd)" "$DEST/etcd"
ln -sf "$(command -v kubectl)" "$DEST/kubectl"
"$DEST/kube-apiserver" --version >&2
"$DEST/kube-controller-manager" --version >&2
say "done"
