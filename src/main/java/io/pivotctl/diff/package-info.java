/**
 * {@code pivotctl diff}: what changed between two archives (objects by field path, hosts' provisioning state and
 * Ironic ID, dnsmasq leases, Secrets by the digest of their decrypted content), never a Secret value.
 */
package io.pivotctl.diff;
