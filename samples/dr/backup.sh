#!/bin/sh
# One unattended backup: export the management cluster to object storage, then prune by calendar retention.
# Used by the CronJob (cronjob.yaml) and the systemd service (pivotctl-backup.service). Everything comes from
# the environment; the S3 credentials are read by pivotctl from the standard AWS variables or AWS_PROFILE and
# never appear on a command line.
#
#   PIVOTCTL_BACKUP_LOCATION   s3://BUCKET/PREFIX/ (or a directory)                      required
#   PIVOTCTL_RECIPIENTS_FILE   age recipients the Secrets are encrypted to              required
#   PIVOTCTL_LEASES_CONFIGMAP  NS/NAME of the dnsmasq leases ConfigMap                   optional
#   PIVOTCTL_KEEP              prune policy (default: --keep-daily 7 --keep-weekly 4 --keep-monthly 6)
#   PIVOTCTL_METRICS_DIR       node_exporter textfile collector directory               optional
#   PIVOTCTL_JAR               default /opt/pivotctl/pivotctl.jar
#   KUBECONFIG                 when unset inside a pod, one is made from the pod's ServiceAccount token
set -eu

: "${PIVOTCTL_BACKUP_LOCATION:?set PIVOTCTL_BACKUP_LOCATION to s3://BUCKET/PREFIX/}"
: "${PIVOTCTL_RECIPIENTS_FILE:?set PIVOTCTL_RECIPIENTS_FILE to a file of age recipients}"
jar="${PIVOTCTL_JAR:-/opt/pivotctl/pivotctl.jar}"
keep="${PIVOTCTL_KEEP:---keep-daily 7 --keep-weekly 4 --keep-monthly 6}"
location="${PIVOTCTL_BACKUP_LOCATION%/}"

sa=/var/run/secrets/kubernetes.io/serviceaccount
if [ -z "${KUBECONFIG:-}" ] && [ -r "$sa/token" ]; then
  umask 077
  KUBECONFIG="$(mktemp)"
  export KUBECONFIG
  trap 'rm -f "$KUBECONFIG"' EXIT
  cat > "$KUBECONFIG" <<KC
apiVersion: v1
kind: Config
clusters:
- name: in-cluster
  cluster:
    server: https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}
    certificate-authority: $sa/ca.crt
users:
- name: pivotctl-backup
  user:
    token: $(cat "$sa/token")
contexts:
- name: in-cluster
  context: {cluster: in-cluster, user: pivotctl-backup}
current-context: in-cluster
KC
fi

metrics() { [ -n "${PIVOTCTL_METRICS_DIR:-}" ] && printf -- '--metrics-file %s/pivotctl_%s.prom' "$PIVOTCTL_METRICS_DIR" "$1" || true; }

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
# shellcheck disable=SC2046 # word splitting of the optional flags is intended
java -jar "$jar" export "$location/backup-$stamp.tar.gz" -A -q --recipients-file "$PIVOTCTL_RECIPIENTS_FILE" \
  ${PIVOTCTL_LEASES_CONFIGMAP:+--leases-from-configmap "$PIVOTCTL_LEASES_CONFIGMAP"} $(metrics export)
# shellcheck disable=SC2046,SC2086
java -jar "$jar" backups prune "$location/" $keep $(metrics backups_prune)
