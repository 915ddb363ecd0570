#!/usr/bin/env bash
# The main job on a built-in local setup: a full pivot of the sample Metal3 management cluster
# from one real API server (source) to another (target), with every command shown as you would type it.
# Builds the jar if needed, ensures the envtest binaries, cleans up on exit (Ctrl-C included).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '\033[36m$ %s\033[0m\n' "$*" >&2; "$@"; }
fail() { printf '\n\033[31mFAIL\033[0m: %s\n' "$*"; exit 1; }

work="$(mktemp -d -t pivotctl-demo.XXXXXX)"
clusters_pid=""
bmo_pid=""
cleanup() {
  if [ -n "$bmo_pid" ]; then
    kill "$bmo_pid" 2>/dev/null || true
    wait "$bmo_pid" 2>/dev/null || true
  fi
  if [ -n "$clusters_pid" ] && kill -0 "$clusters_pid" 2>/dev/null; then
    kill "$clusters_pid" 2>/dev/null || true
    wait "$clusters_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bold "== Preparing: build, envtest binaries"
if [ "${DEMO_SKIP_BUILD:-}" != "1" ] || [ ! -f target/pivotctl.jar ] || [ ! -d target/test-classes ]; then
  mvn -B -q -ntp package -DskipTests
fi
scripts/setup-envtest.sh
if [ -n "${DEMO_CLASSPATH:-}" ]; then
  cp="$DEMO_CLASSPATH"   # given by DemoScriptIT: the test classpath of the Maven run that called it
else
  mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
  cp="target/test-classes:target/classes:$(cat "$work/cp.txt")"
fi

bold "== Starting two local API servers (source and target, loopback), each with a garbage collector"
java -cp "$cp" io.pivotctl.testing.DemoClusters "$work" >"$work/clusters.log" 2>&1 &
clusters_pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/ready" ] && break
  kill -0 "$clusters_pid" 2>/dev/null || { cat "$work/clusters.log"; fail "API servers did not start"; }
  sleep 1
done
[ -f "$work/ready" ] || { tail -20 "$work/clusters.log"; fail "API servers not ready after 300 s"; }
echo "CRDs installed: $(cat "$work/ready")"
SRC="$work/source.kubeconfig"
TGT="$work/target.kubeconfig"

bold "== Loading samples/metal3-management into the source (status written through /status)"
java -cp "$cp" io.pivotctl.testing.SampleLoader "$SRC" samples/metal3-management

pivotctl() { "$here/scripts/pivotctl" "$@"; }
cd "$work"
export PIVOTCTL_HOME="$work/home"   # journals of this demo stay in its temp dir
ln -s "$here/samples" samples

bold "== 1. Make a key (keep it safe: it decrypts the archive's Secrets)"
recipient="$(run pivotctl keygen key.txt)"
echo "$recipient   (written key.txt, mode $(stat -c %a key.txt))"

bold "== 2. Pause prod-a on the source and export it, with the DHCP leases"
run pivotctl export prod-a.tar.gz --kubeconfig "$SRC" -n metal3 --cluster prod-a --pause --recipient "$recipient" \
  --leases-file samples/dnsmasq.leases

bold "== 3. Inspect and validate the archive (offline)"
run pivotctl inspect prod-a.tar.gz
run pivotctl validate prod-a.tar.gz --identity key.txt
echo "(GNU tar lists it too: $(tar -tzf prod-a.tar.gz | wc -l) entries, manifest.json first: $(tar -tzf prod-a.tar.gz | sed -n 1p))"

bold "== 4. On the target: leases first (before dnsmasq starts), then everything else"
run pivotctl import prod-a.tar.gz --kubeconfig "$TGT" --only leases
run pivotctl import prod-a.tar.gz --kubeconfig "$TGT" --identity key.txt --dry-run -q
run pivotctl import prod-a.tar.gz --kubeconfig "$TGT" --identity key.txt

bold "== 5. Verify the target against the archive"
run pivotctl verify prod-a.tar.gz --kubeconfig "$TGT" --identity key.txt || fail "verify found differences"

bold "== 6. The restored hosts on the target, status included"
run kubectl --kubeconfig "$TGT" -n metal3 get baremetalhosts.metal3.io \
  -o custom-columns='NAME:.metadata.name,STATE:.status.provisioning.state,IRONIC-ID:.status.provisioning.ID,POWER:.status.poweredOn,CONSUMER:.spec.consumerRef.name'

paused="$(kubectl --kubeconfig "$TGT" -n metal3 get clusters.cluster.x-k8s.io prod-a -o jsonpath='{.spec.paused}')"
[ "$paused" = "false" ] || fail "prod-a is still paused on the target (spec.paused=$paused)"
src_paused="$(kubectl --kubeconfig "$SRC" -n metal3 get clusters.cluster.x-k8s.io prod-a -o jsonpath='{.spec.paused}')"
[ "$src_paused" = "true" ] || fail "prod-a should stay paused on the source (spec.paused=$src_paused)"
echo "prod-a: paused on the source, running on the target"

states="$(kubectl --kubeconfig "$TGT" -n metal3 get baremetalhosts.metal3.io -o jsonpath='{range .items[*]}{.status.provisioning.state}{"\n"}{end}' | sort | uniq -c | tr -s ' ')"
[ "$(echo "$states" | grep -c provisioned)" = "1" ] && echo "$states" | grep -q " 5 provisioned" || fail "expected 5 provisioned hosts on the target, got: $states"

bold "== 7. Release the source: its Ironic lets go of prod-a's hosts without deprovisioning them, then what moved is deleted"
echo "The source runs kube-controller-manager's garbage collector, as every real cluster does: every delete orphans"
echo "(propagationPolicy: Orphan), so the collector never takes anything the plan leaves alone (edge-b, the spare hosts)."
echo "No baremetal-operator runs in this demo, so a stand-in (a kubectl loop in this script, not part of pivotctl) plays"
echo "its part: for a host annotated baremetalhost.metal3.io/detached and not paused it reports status.operationalStatus=detached,"
echo "as BMO does once it has removed the node from Ironic. (A source whose BMO is gone: --detach-timeout 0.)"
stand_in_bmo() {
  while :; do
    for h in $(kubectl --kubeconfig "$SRC" -n metal3 get baremetalhosts.metal3.io -o json | jq -r '.items[]
        | select(.metadata.annotations["baremetalhost.metal3.io/detached"] != null
                 and .metadata.annotations["baremetalhost.metal3.io/paused"] == null
                 and .status.operationalStatus != "detached") | .metadata.name'); do
      kubectl --kubeconfig "$SRC" -n metal3 patch baremetalhosts.metal3.io "$h" --subresource=status --type=merge \
        -p '{"status":{"operationalStatus":"detached"}}' >/dev/null 2>&1 || true
    done
    sleep 1
  done
}
# what was not exported, by UID: it must all still be there after the release, with the garbage collector running
not_released() {
  kubectl --kubeconfig "$SRC" -n metal3 get secrets,clusters.cluster.x-k8s.io,machines.cluster.x-k8s.io,metal3machines.infrastructure.cluster.x-k8s.io,baremetalhosts.metal3.io,hardwaredata.metal3.io \
    -o json | jq -r '[.items[] | select((.metadata.name | startswith("prod-a")) | not) | select(.type != "kubernetes.io/service-account-token") | .metadata.uid] | sort | join(",")' | sha256sum | cut -c1-16
}
before_release="$(not_released)"
stand_in_bmo &
bmo_pid=$!
run pivotctl release-source prod-a.tar.gz --kubeconfig "$SRC" --identity key.txt --verified-on "$TGT" | grep -E '^(ACTION|detach)|^PLAN'
echo "(the plan, hosts shown; it wrote nothing. Now with --yes:)"
run pivotctl release-source prod-a.tar.gz --kubeconfig "$SRC" --identity key.txt --verified-on "$TGT" --yes --detach-timeout 2m
kill "$bmo_pid" 2>/dev/null || true
wait "$bmo_pid" 2>/dev/null || true
bmo_pid=""
run kubectl --kubeconfig "$SRC" -n metal3 get clusters.cluster.x-k8s.io,baremetalhosts.metal3.io
left="$(kubectl --kubeconfig "$SRC" -n metal3 get clusters.cluster.x-k8s.io,baremetalhosts.metal3.io -o name | grep -c prod-a || true)"
[ "$left" = "0" ] || fail "prod-a objects left on the source after release-source: $left"
kubectl --kubeconfig "$SRC" -n metal3 get clusters.cluster.x-k8s.io edge-b >/dev/null || fail "edge-b was not exported and must stay on the source"
[ "$(not_released)" = "$before_release" ] || fail "the release (or the garbage collector) took objects of edge-b or spare hosts: $before_release before, $(not_released) after"
echo "source: prod-a released (hosts detached first); edge-b and the spare hosts untouched (every one of their objects still there, same UIDs)"
echo "(to abort a pivot instead: pivotctl unpause prod-a.tar.gz --kubeconfig SRC)"

printf '\n\033[32mPASS\033[0m: prod-a pivoted with host status, Secrets, owner references and leases intact, and released from the source\n'
