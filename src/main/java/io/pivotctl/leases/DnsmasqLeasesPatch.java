package io.pivotctl.leases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.pivotctl.PivotctlException;

/**
 * A kustomize strategic-merge patch for the Ironic Deployment that hands the imported leases to dnsmasq.
 * A ConfigMap volume is read-only and dnsmasq rewrites its whole lease file on every change, so the ConfigMap
 * cannot be mounted at the lease directory: an emptyDir is, and an initContainer copies the ConfigMap key into
 * it before dnsmasq starts. The copy never overwrites a lease file already there (an initContainer runs again
 * when the pod restarts, and by then dnsmasq's own file is newer) and is skipped when the ConfigMap or key is
 * missing ({@code optional: true}), so the pod still starts.
 */
public record DnsmasqLeasesPatch(String namespace, String deployment, String container, String leasesDir, String configMapNamespace,
        String configMapName, String image) {

    /** The ConfigMap key import writes the archived lease file to. */
    public static final String KEY = "dnsmasq.leases";
    public static final String DEFAULT_NAMESPACE = "metal3";
    public static final String DEFAULT_CONFIGMAP = "dnsmasq-leases-configmap";
    public static final String INIT_CONTAINER = "pivotctl-restore-leases";
    public static final String LEASES_VOLUME = "pivotctl-dnsmasq-leases";
    public static final String CONFIGMAP_VOLUME = "pivotctl-leases-configmap";
    /** Where the initContainer sees the ConfigMap. */
    public static final String CONFIGMAP_MOUNT = "/pivotctl/leases-configmap";

    /**
     * The initContainer's shell command. It reads the paths from the environment (LEASES_FROM, LEASES_DIR) so the
     * same text runs in the pod and in a test. The file is made writable for any user: the patch cannot know which
     * user the dnsmasq container runs as, and dnsmasq must rewrite it.
     */
    public static final String COPY_SCRIPT = String.join("\n",
            "set -eu",
            "target=\"$LEASES_DIR/" + KEY + "\"",
            "if [ -s \"$target\" ]; then",
            "  echo \"pivotctl: $target already exists: kept\"",
            "  exit 0",
            "fi",
            "if [ ! -f \"$LEASES_FROM\" ]; then",
            "  echo \"pivotctl: no $LEASES_FROM (ConfigMap or key missing): dnsmasq starts without leases\"",
            "  exit 0",
            "fi",
            "cp \"$LEASES_FROM\" \"$target.tmp\"",
            "chmod 0666 \"$target.tmp\"",
            "mv \"$target.tmp\" \"$target\"",
            "echo \"pivotctl: $(grep -c . \"$target\" || true) lease line(s) restored into $target\"",
            "");

    public DnsmasqLeasesPatch {
        require(namespace, "--namespace");
        require(deployment, "--deployment");
        require(container, "--container");
        require(image, "--image");
        if (leasesDir == null || !leasesDir.startsWith("/") || leasesDir.length() < 2) {
            throw PivotctlException.usage("--leases-dir wants an absolute directory such as /var/lib/dnsmasq (older ironic images) or"
                    + " /data/dnsmasq (current ones), got '" + leasesDir + "'");
        }
        leasesDir = leasesDir.replaceAll("/+$", "");
        require(configMapName, "--configmap");
        if (!namespace.equals(configMapNamespace)) {
            throw PivotctlException.usage("a pod can mount only a ConfigMap of its own namespace: the Deployment is in " + namespace
                    + " but --configmap names namespace " + configMapNamespace + "; import the leases with --leases-configmap "
                    + namespace + "/" + configMapName + " and pass --configmap " + namespace + "/" + configMapName);
        }
    }

    private static void require(String value, String option) {
        if (value == null || value.isBlank()) {
            throw PivotctlException.usage(option + " must not be empty");
        }
    }

    /** The patch as a kustomize patch file (YAML with a comment saying what it does and how to use it). */
    public String toYaml() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("apiVersion", "apps/v1");
        root.put("kind", "Deployment");
        root.putObject("metadata").put("name", deployment).put("namespace", namespace);
        ObjectNode podSpec = root.putObject("spec").putObject("template").putObject("spec");
        ObjectNode init = podSpec.putArray("initContainers").addObject();
        init.put("name", INIT_CONTAINER);
        init.put("image", image);
        init.putArray("command").add("/bin/sh").add("-c").add(COPY_SCRIPT);
        ArrayNode env = init.putArray("env");
        env.addObject().put("name", "LEASES_FROM").put("value", CONFIGMAP_MOUNT + "/" + KEY);
        env.addObject().put("name", "LEASES_DIR").put("value", leasesDir);
        ArrayNode initMounts = init.putArray("volumeMounts");
        initMounts.addObject().put("name", CONFIGMAP_VOLUME).put("mountPath", CONFIGMAP_MOUNT).put("readOnly", true);
        initMounts.addObject().put("name", LEASES_VOLUME).put("mountPath", leasesDir);
        ObjectNode dnsmasq = podSpec.putArray("containers").addObject();
        dnsmasq.put("name", container);
        dnsmasq.putArray("volumeMounts").addObject().put("name", LEASES_VOLUME).put("mountPath", leasesDir);
        ArrayNode volumes = podSpec.putArray("volumes");
        ObjectNode cm = volumes.addObject().put("name", CONFIGMAP_VOLUME).putObject("configMap");
        cm.put("name", configMapName).put("optional", true);
        cm.putArray("items").addObject().put("key", KEY).put("path", KEY);
        volumes.addObject().put("name", LEASES_VOLUME).putObject("emptyDir");
        try {
            return "# pivotctl leases patch: dnsmasq of Deployment " + namespace + "/" + deployment + " starts with the leases of ConfigMap "
                    + configMapNamespace + "/" + configMapName + " (key " + KEY + ")\n"
                    + "# copied into an emptyDir at " + leasesDir + " by an initContainer. Use it in kustomization.yaml under patches: - path: FILE\n"
                    + MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the patch", e);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
}
