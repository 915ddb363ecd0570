package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Test API servers kept for the whole test JVM and handed from one test class to the next. Starting a kube-apiserver
 * and etcd, and above all installing the upstream CRDs (the apiserver rebuilds its OpenAPI document for each of them),
 * is most of a class's set-up on two shared cores. A server a class gives back is
 * emptied ({@link TargetReset#everything}); it is kept only when it is then as a fresh one with the same CRDs would
 * be: the same CRDs, unchanged since installed; no other cluster-wide or RBAC object, ServiceAccount, Pod, Service or
 * Deployment added; nothing left; no namespace Terminating. A class gets a kept server only when every namespace on it
 * is one the class asks for anyway (so a test that asserts a namespace was not there before still can). Anything else
 * closes the server, with one line saying why: no class ever sees another's leftovers. At most {@link #MAX_IDLE}
 * servers wait, each with its garbage-collector and namespace controllers still running; all are closed when the test run ends (the root {@code ExtensionContext.Store} closes the pool).
 */
final class ServerPool implements AutoCloseable {

    static final int MAX_IDLE = 6;

    /** One server waiting, with what it serves. */
    private record Idle(TestApiServer server, String crdKey, Set<String> namespaces) {
    }

    /** What a class asks for: these CRDs, and these namespaces (which it would create anyway). */
    record Want(CrdSet crds, Set<String> namespaces) {
    }

    private final LinkedList<Idle> idle = new LinkedList<>();
    /** Per server handed out: the fingerprint it had when handed out, to compare with when it comes back. */
    private final java.util.Map<TestApiServer, String> handedOut = new java.util.IdentityHashMap<>();
    private final java.util.Map<TestApiServer, String> crdKeys = new java.util.IdentityHashMap<>();
    /** Every namespace a class asked for so far: a server left with others is of no use to anyone and is closed. */
    private final Set<String> wantedEver = new TreeSet<>();
    private boolean closed;
    private int started;
    private int handedOn;

    /** A server per want, in order: idle ones when they match, else new ones (started in parallel) with their CRDs. */
    List<TestApiServer> take(List<Want> wants) {
        List<TestApiServer> servers = new ArrayList<>(java.util.Collections.nCopies(wants.size(), null));
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < wants.size(); i++) {
            Want w = wants.get(i);
            w.crds().require();
            synchronized (this) {
                wantedEver.addAll(w.namespaces());
            }
            Idle reused = takeIdle(w);
            if (reused != null) {
                servers.set(i, reused.server());
                synchronized (this) {
                    handedOn++;
                }
            } else {
                missing.add(i);
            }
        }
        try {
            List<TestApiServer> started = TestApiServer.startAll(missing.stream().map(i -> wants.get(i).crds()).toList());
            synchronized (this) {
                this.started += started.size();
            }
            for (int k = 0; k < missing.size(); k++) {
                servers.set(missing.get(k), started.get(k));
            }
        } catch (RuntimeException | AssertionError e) {
            servers.stream().filter(java.util.Objects::nonNull).forEach(TestApiServer::close);
            throw e;
        }
        synchronized (this) {
            for (int i = 0; i < servers.size(); i++) {
                wants.get(i).namespaces().forEach(servers.get(i)::ensureNamespace);
                handedOut.put(servers.get(i), fingerprint(servers.get(i)));
                crdKeys.put(servers.get(i), wants.get(i).crds().key());
            }
        }
        return servers;
    }

    private Idle takeIdle(Want w) {
        Idle found = null;
        synchronized (this) {
            for (Iterator<Idle> it = idle.iterator(); it.hasNext();) {
                Idle i = it.next();
                if (i.crdKey().equals(w.crds().key()) && w.namespaces().containsAll(i.namespaces())) {
                    it.remove();
                    found = i;
                    break;
                }
            }
        }
        if (found != null && !answers(found.server())) {
            found.server().close();
            return null;
        }
        return found;
    }

    private static boolean answers(TestApiServer s) {
        try {
            s.client().getKubernetesVersion();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Takes a server back: emptied, and kept when it is as fresh as it was handed out (apart from namespaces a later
     * class would create anyway), else closed.
     */
    void giveBack(TestApiServer server) {
        String before;
        String crdKey;
        Set<String> reusable;
        synchronized (this) {
            before = handedOut.remove(server);
            crdKey = crdKeys.remove(server);
            reusable = new TreeSet<>(wantedEver);
        }
        // the controllers keep running: the next class wants them too, and a restart costs their start-up and sync
        String notKept = before == null ? "not from this pool" : closed ? "the run is over" : null;
        try {
            if (notKept == null) {
                TargetReset.everything(server.client());
                notKept = whyNotReusable(server, before, reusable);
            }
        } catch (RuntimeException e) {
            notKept = "the reset failed: " + e;
        }
        if (notKept != null) {
            if (before != null && !closed) {
                System.err.println("[ServerPool] closing " + server.url() + ": " + notKept);
            }
            server.close();
            return;
        }
        synchronized (this) {
            idle.addFirst(new Idle(server, crdKey, testNamespaces(server.client())));
            while (idle.size() > MAX_IDLE) {
                Idle evicted = idle.removeLast();
                System.err.println("[ServerPool] closing " + evicted.server().url() + ": more than " + MAX_IDLE + " idle (" + evicted.crdKey() + ")");
                evicted.server().close();
            }
        }
    }

    /** Null when the emptied server is as a fresh one with the same CRDs would be, else what differs. */
    private static String whyNotReusable(TestApiServer server, String before, Set<String> reusable) {
        String after = fingerprint(server);
        if (!after.equals(before)) {
            return "changed beyond what a reset undoes: " + changedLines(before, after);
        }
        KubernetesClient c = server.client();
        int left = TargetReset.leftAfterEverything(c);
        if (left > 0) {
            return left + " object(s) left after the reset";
        }
        if (!noNamespaceTerminating(c)) {
            return "a namespace is still Terminating after 30 s";
        }
        Set<String> extra = testNamespaces(c);
        extra.removeAll(reusable);
        return extra.isEmpty() ? null : "namespace(s) " + extra + " no test class asks for";
    }

    /** The fingerprint lines that differ, as "was -> now", cut short: what the class left behind. */
    private static String changedLines(String before, String after) {
        List<String> was = List.of(before.split("\n"));
        List<String> now = List.of(after.split("\n"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(was.size(), now.size()); i++) {
            if (!was.get(i).equals(now.get(i))) {
                Set<String> gone = items(was.get(i));
                Set<String> added = items(now.get(i));
                Set<String> common = new TreeSet<>(gone);
                common.retainAll(added);
                gone.removeAll(common);
                added.removeAll(common);
                out.add(was.get(i).substring(0, was.get(i).indexOf('=')) + ": was " + gone + ", now " + added);
            }
        }
        String all = String.join("; ", out);
        return all.length() > 400 ? all.substring(0, 400) + "..." : all;
    }

    /** The items of one fingerprint line, "crd=[a@1, b@2]". */
    private static Set<String> items(String line) {
        String list = line.substring(line.indexOf('=') + 2, line.length() - 1);
        return list.isEmpty() ? new TreeSet<>() : new TreeSet<>(List.of(list.split(", ")));
    }

    /** The namespace controller empties and removes a deleted namespace soon; waits up to 30 s for it. */
    private static boolean noNamespaceTerminating(KubernetesClient c) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (c.namespaces().list().getItems().stream().anyMatch(n -> n.getMetadata().getDeletionTimestamp() != null)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * What must not change between classes: CRDs with their UIDs, generations and labels (a spec change bumps the generation; the apiserver's own status writes after an install bump only the resourceVersion, which is therefore not compared), cluster-wide RBAC, and every object a
     * test may create outside the reset's reach (ServiceAccounts, Pods, Services, Deployments) in any namespace;
     * namespaces are compared apart (see {@link #testNamespaces}).
     */
    private static String fingerprint(TestApiServer server) {
        KubernetesClient c = server.client();
        StringBuilder b = new StringBuilder();
        append(b, "crd", c.apiextensions().v1().customResourceDefinitions().list().getItems(), m -> m.getName() + "@" + m.getUid() + "#" + m.getGeneration() + new TreeMap<>(m.getLabels() == null ? Map.of() : m.getLabels()));
        append(b, "clusterrole", c.rbac().clusterRoles().list().getItems(), m -> m.getName());
        append(b, "clusterrolebinding", c.rbac().clusterRoleBindings().list().getItems(), m -> m.getName());
        append(b, "serviceaccount", c.serviceAccounts().inAnyNamespace().list().getItems(), m -> m.getNamespace() + "/" + m.getName());
        append(b, "pod", c.pods().inAnyNamespace().list().getItems(), m -> m.getNamespace() + "/" + m.getName());
        append(b, "service", c.services().inAnyNamespace().list().getItems(), m -> m.getNamespace() + "/" + m.getName());
        append(b, "deployment", c.apps().deployments().inAnyNamespace().list().getItems(), m -> m.getNamespace() + "/" + m.getName());
        append(b, "role", c.rbac().roles().inAnyNamespace().list().getItems(), m -> m.getNamespace() + "/" + m.getName());
        return b.toString();
    }

    private static void append(StringBuilder b, String what, List<? extends HasMetadata> items,
            Function<io.fabric8.kubernetes.api.model.ObjectMeta, String> key) {
        Set<String> keys = new TreeSet<>();
        items.forEach(i -> keys.add(key.apply(i.getMetadata())));
        b.append(what).append('=').append(keys).append('\n');
    }

    /** The namespaces a test made (the four a fresh kube-apiserver 1.20 creates itself left out). */
    private static Set<String> testNamespaces(KubernetesClient c) {
        Set<String> out = new TreeSet<>();
        c.namespaces().list().getItems().forEach(n -> out.add(n.getMetadata().getName()));
        out.remove("default");
        out.removeAll(TargetReset.SERVER_NAMESPACES);
        return out;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            System.err.println("[ServerPool] " + (started + handedOn) + " server(s) handed to test classes: " + started + " started, "
                    + handedOn + " handed on from an earlier class");
        }
        closed = true;
        idle.forEach(i -> i.server().close());
        idle.clear();
    }
}
