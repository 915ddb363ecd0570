package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Version;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.GraphCodec;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.graph.Selection;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code pivotctl export}: reads the source management cluster (read-only unless --pause) and writes
 * the archive of formats/pivot-archive-v1.md.
 */
public final class ExportService {

    private final Function<JsonNode, byte[]> serializer;

    public ExportService() {
        this(ObjectCleaner::yaml);
    }

    /** With another object serialiser: tests inject a faulty one to prove the self-check stops the export. */
    ExportService(Function<JsonNode, byte[]> serializer) {
        this.serializer = serializer;
    }

    public ExportSummary export(ExportRequest req, ExportProgress progress) {
        Pauser pauser = new Pauser(req.target(), progress, req.blockMoveTimeout());
        try {
            ExportSummary summary = export(req, progress, pauser);
            pauser.keep(); // written: what it paused stays paused
            return summary;
        } catch (RuntimeException e) {
            throw pauser.undoAfter(e); // a failed export leaves nothing paused that it paused, and says so
        }
    }

    private ExportSummary export(ExportRequest req, ExportProgress progress, Pauser pauser) {
        long start = System.nanoTime();
        ExportKeys keys = ExportKeys.prepare(req);
        req.output().checkWritable(); // a missing bucket or wrong credentials fail before the cluster is read
        try (ClusterConnection conn = KubeConnector.connect(req.target())) {
            ResourceClient client = new ResourceClient(conn);
            Discovery discovery = new Discovery(conn);
            progress.phase("connecting to " + conn.server());
            String serverVersion = discovery.serverVersion();
            List<String> namespaces = resolveNamespaces(req, conn, client);
            List<ResourceType> types = new ArrayList<>(discovery.exportableTypes());
            if (types.isEmpty()) {
                throw PivotctlException.failed("no Cluster API or Metal3 resources are served by " + conn.server()
                        + ": is this a management cluster? (check --kubeconfig/--context)");
            }
            types.add(ResourceType.SECRET);
            types.add(ResourceType.CONFIG_MAP);
            progress.phase("listing " + types.size() + " resource types in " + (namespaces == null ? "all namespaces" : String.join(", ", namespaces)));
            ExportSelfCheck selfCheck = new ExportSelfCheck(keys.selfCheckOpener());
            InventoryReader reader = new InventoryReader(client, conn.concurrency(), progress, new ObjectPacker(keys.encryptor(), serializer, selfCheck));
            Inventory listed = reader.read(types, namespaces);
            List<ObjectId> clusters = resolveClusters(req.clusters(), listed, namespaces);
            Supplier<Inventory> withClasses = () -> followClasses(reader.read(types, namespaces), clusters, namespaces, types, reader, progress);
            Inventory inventory = followClasses(listed, clusters, namespaces, types, reader, progress);
            Map<String, String> moveKinds = discovery.moveLabelledKinds();
            ExportSelection.Result selection = ExportSelection.select(inventory, clusters, moveKinds);
            Set<ObjectId> selected = selection.selected();
            // everything that can fail is collected and checked before anything is paused
            Optional<CollectedLeases> leases = new LeaseCollector(conn, client).collect(req.leases(), namespaces);
            List<ObjectId> pausedByUs = List.of();
            if (req.pause()) {
                progress.phase("pausing selected Clusters and BareMetalHosts");
                Pauser.Paused paused = pauser.pause(client, inventory, new TreeSet<>(selected), withClasses);
                pausedByUs = paused.pausedByPivotctl();
                inventory = paused.inventory(); // read again after pausing: what we archive is the paused state
                selection = ExportSelection.select(inventory, clusters, moveKinds);
                selected = selection.selected();
            }
            List<String> warnings = new ArrayList<>();
            List<PackedObject> objects = ExportSelection.objectsOf(inventory, selected);
            ObjectGraph graph = ObjectGraph.ofLinked(objects.stream().map(PackedObject::linked).toList());
            warnings.addAll(GraphCodec.danglingWarnings(graph));
            graph.cycles().forEach(c -> warnings.add("ownerReference cycle: " + c));

            progress.phase("encrypting " + objects.stream().filter(PackedObject::secret).count() + " Secrets and writing " + req.output());
            ArchiveAssembler assembler = new ArchiveAssembler();
            assembler.addObjects(objects);
            keys.archiveIdentity().ifPresent(assembler::addArchiveIdentity);
            if (req.includeCrds()) {
                addCrds(conn, assembler, selected, inventory);
            }
            Manifest.LeasesInfo leasesInfo = null;
            int leaseCount = 0;
            if (leases.isPresent()) {
                LeaseSummary ls = LeaseSummary.of(leases.get().raw(), objects);
                leaseCount = ls.count();
                warnings.addAll(ls.warnings());
                assembler.addLeases(leases.get().raw());
                leasesInfo = new Manifest.LeasesInfo(EntryPaths.LEASES, ls.count(), Digests.sha256(leases.get().raw()), leases.get().source());
            }
            warnings.forEach(progress::warning);
            Manifest manifest = Manifest.builder().tool(new Manifest.Tool(Version.TOOL_NAME, Version.current()))
                    .createdAt(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).archiveId(UUID.randomUUID().toString())
                    .source(new Manifest.Source(conn.server(), discovery.clusterId(), serverVersion))
                    .selection(new Manifest.Selection(namespaces == null ? List.of() : namespaces, namespaces == null,
                            clusters.stream().map(c -> c.namespace() + "/" + c.name()).toList()))
                    .encryption(keys.encryptionInfo()).secrets(assembler.secrets()).graph(GraphCodec.toManifest(graph)).leases(leasesInfo)
                    .listResourceVersions(inventory.listResourceVersions()).pausedByExport(pausedByUs.stream().map(EntryPaths::id).toList())
                    .warnings(warnings).leftOut(selection.leftOut().stream().map(LeftOut::toManifest).toList()).build();
            // every entry was read back when it was made; any that did not read back exactly stops the export here
            ExportSelfCheck.check(objects);
            Manifest written = req.output().write(manifest, assembler.sources(), keys.signer()).manifest();
            return ExportSummary.of(req.output(), written).objectsPerKind(assembler.perKind()).secretsEncrypted(assembler.secrets().size())
                    .leases(leaseCount).pausedByUs(pausedByUs.stream().map(ObjectId::toString).toList()).warnings(warnings)
                    .leftOut(selection.leftOut()).millis((System.nanoTime() - start) / 1_000_000).build();
        }
    }

    /** Adds the ClusterClasses the Clusters name in namespaces that were not selected, with their templates ({@link FollowedClasses}). */
    private static Inventory followClasses(Inventory listed, List<ObjectId> clusters, List<String> namespaces, List<ResourceType> types,
            InventoryReader reader, ExportProgress progress) {
        return FollowedClasses.follow(listed, clusters, namespaces, extra -> {
            progress.phase("reading namespace(s) " + String.join(", ", extra) + " for the ClusterClasses "
                    + FollowedClasses.outside(listed, clusters, namespaces) + " that selected Clusters use");
            return reader.read(types, extra);
        });
    }

    private static List<String> resolveNamespaces(ExportRequest req, ClusterConnection conn, ResourceClient client) {
        if (req.allNamespaces()) {
            return null;
        }
        List<String> wanted = req.namespaces().isEmpty() ? List.of(conn.defaultNamespace()) : req.namespaces();
        for (String ns : wanted) {
            Optional<ObjectNode> found;
            try {
                found = client.get(ResourceType.NAMESPACE, null, ns);
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "get", "namespace " + ns, conn.server());
            }
            if (found.isEmpty()) {
                throw PivotctlException.usage("namespace " + ns + " not found on " + conn.server());
            }
        }
        return List.copyOf(new LinkedHashSet<>(wanted));
    }

    static List<ObjectId> resolveClusters(List<String> names, Inventory inventory, List<String> namespaces) {
        return Selection.clusters(names, inventory.objects().keySet(), namespaces == null ? "any namespace" : "namespace(s) " + String.join(", ", namespaces));
    }

    private static void addCrds(ClusterConnection conn, ArchiveAssembler assembler, Set<ObjectId> selected, Inventory inventory) {
        Set<String> crdNames = new TreeSet<>();
        for (ObjectId id : selected) {
            ResourceType t = inventory.typeOf(id);
            if (t != null && !t.group().isEmpty()) {
                crdNames.add(t.plural() + "." + t.group());
            }
        }
        for (String name : crdNames) {
            CustomResourceDefinition crd;
            try {
                crd = conn.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "get", "customresourcedefinition " + name, conn.server());
            }
            if (crd != null) {
                assembler.addCrd(Json.MAPPER.valueToTree(crd));
            }
        }
    }

}
