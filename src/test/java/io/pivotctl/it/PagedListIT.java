package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.pivotctl.PivotctlException;
import io.pivotctl.kube.ApiEvents;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.TestApiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lists are read in pages (limit + continue) from a real API server, every object comes back exactly once, all pages
 * from the first page's snapshot, and an expired continue token (410 Gone, answered by a FaultProxy in front of the
 * server) restarts that list from its first page, named; one that keeps expiring fails, naming the list.
 */
class PagedListIT {

    static final int OBJECTS = 25;
    static final String NS = "paging";
    static final String LIST_PATH = "/api/v1/namespaces/" + NS + "/configmaps";

    /** One server with a fault proxy in front of it (its rules are lifted after each test). */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withProxiedSource();

    static TestApiServer server;
    static FaultProxy proxy;
    static Path proxyKubeconfig;
    final List<String> retries = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() {
        server = servers.source();
        server.ensureNamespace(NS);
        for (int i = 0; i < OBJECTS; i++) {
            server.client().configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(String.format("cm-%02d", i))
                    .endMetadata().addToData("i", Integer.toString(i)).build()).create();
        }
        proxy = servers.sourceProxy();
        proxyKubeconfig = proxy.kubeconfig();
    }

    ClusterConnection connect(long chunkSize) {
        ApiEvents events = new ApiEvents() {
            @Override
            public void request(String what, long millis, String outcome) {
            }

            @Override
            public void retrying(String what, int attempt, int maxAttempts, long delayMillis, String reason) {
                retries.add(what + ": " + reason);
            }
        };
        return KubeConnector.connect(new KubeTarget(proxyKubeconfig, null, 4, 0, events).withChunkSize(chunkSize));
    }

    static List<String> ours(List<ObjectNode> items) {
        return items.stream().map(o -> o.path("metadata").path("name").asText()).filter(n -> n.startsWith("cm-")).toList();
    }

    @Test
    void aListLongerThanThePageComesBackOnceInPages() {
        try (ClusterConnection conn = connect(10)) {
            int before = proxy.count("GET", LIST_PATH);
            ResourceClient.Listing all = new ResourceClient(conn).list(ResourceType.CONFIG_MAP, NS);
            int requests = proxy.count("GET", LIST_PATH) - before;
            List<String> names = ours(all.items());
            assertEquals(OBJECTS, names.size(), names.toString());
            assertEquals(OBJECTS, new HashSet<>(names).size(), "no object twice");
            int total = all.items().size(); // ours, plus kube-root-ca.crt when the server publishes it
            assertEquals((total + 9) / 10, requests, "pages of 10: one request per page");
            assertFalse(all.resourceVersion().isEmpty());
            assertEquals(List.of(), retries);
        }
    }

    @Test
    void chunkSizeZeroReadsOneUnpagedList() {
        try (ClusterConnection conn = connect(0)) {
            int before = proxy.count("GET", LIST_PATH);
            List<ObjectNode> items = new ResourceClient(conn).list(ResourceType.CONFIG_MAP, NS).items();
            assertEquals(1, proxy.count("GET", LIST_PATH) - before);
            assertEquals(OBJECTS, ours(items).size());
        }
    }

    @Test
    void forEachStreamsEveryObjectOnceFromTheFirstPagesSnapshot() {
        try (ClusterConnection conn = connect(10)) {
            ResourceClient client = new ResourceClient(conn);
            List<String> seen = new ArrayList<>();
            String late = "cm-zz-late";
            String rv = client.forEach(ResourceType.CONFIG_MAP, NS, null, o -> {
                if (seen.isEmpty()) {
                    // created while the list is being read: later pages still show the first page's snapshot
                    server.client().configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(late).endMetadata().build()).create();
                }
                seen.add(o.path("metadata").path("name").asText());
            });
            try {
                assertFalse(seen.contains(late), "pages after the first come from its snapshot");
                assertEquals(OBJECTS, seen.stream().filter(n -> n.startsWith("cm-")).count());
                assertEquals(seen.size(), new HashSet<>(seen).size());
                assertTrue(Long.parseLong(rv) < Long.parseLong(server.client().configMaps().inNamespace(NS).withName(late).get().getMetadata()
                        .getResourceVersion()), "the resourceVersion returned is the snapshot's, before the late object");
            } finally {
                server.client().configMaps().inNamespace(NS).withName(late).delete();
            }
        }
    }

    @Test
    void anExpiredContinueTokenRestartsThatListNamedAndEachObjectComesOnce() {
        proxy.add(FaultProxy.Rule.status("GET", "continue=", 410, 1));
        try (ClusterConnection conn = connect(10)) {
            ResourceClient client = new ResourceClient(conn);
            List<String> names = ours(client.list(ResourceType.CONFIG_MAP, NS).items());
            assertEquals(OBJECTS, names.size(), "the pages read before the 410 are dropped, not doubled: " + names);
            assertEquals(OBJECTS, new HashSet<>(names).size());
            assertEquals(1, retries.size(), retries.toString());
            assertTrue(retries.get(0).contains("list configmaps in namespace " + NS) && retries.get(0).contains("continue token expired (410)"),
                    retries.get(0));

            proxy.add(FaultProxy.Rule.status("GET", "continue=", 410, 1));
            Set<String> streamed = new HashSet<>();
            List<String> twice = new ArrayList<>();
            client.forEach(ResourceType.CONFIG_MAP, NS, null, o -> {
                if (!streamed.add(o.path("metadata").path("name").asText())) {
                    twice.add(o.path("metadata").path("name").asText());
                }
            });
            assertEquals(List.of(), twice, "forEach hands each object over once across a restart");
            assertEquals(OBJECTS, streamed.stream().filter(n -> n.startsWith("cm-")).count());
        }
    }

    @Test
    void aContinueTokenThatKeepsExpiringFailsNamingTheList() {
        proxy.add(FaultProxy.Rule.status("GET", "continue=", 410, 100));
        try (ClusterConnection conn = connect(10)) {
            PivotctlException e = assertThrows(PivotctlException.class, () -> new ResourceClient(conn).list(ResourceType.CONFIG_MAP, NS));
            assertTrue(e.getMessage().contains("list configmaps in namespace " + NS), e.getMessage());
            assertTrue(e.getMessage().contains("410") && e.getMessage().contains("--chunk-size"), e.getMessage());
            assertEquals(3, retries.size(), "restarted a few times first: " + retries);
        }
    }
}
