package io.pivotctl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the graph needs of one object, without the object: its id and uid, its outgoing links
 * ({@link Linker#linksOf}) and its ownerReferences. Export keeps these for a whole fleet instead of the
 * objects themselves, which would not fit a small heap.
 */
public record LinkedObject(ObjectId id, String uid, List<Edge> links, List<Owner> owners) {

    /** One ownerReference: enough to link it by uid when its (kind, name) is not found, and to follow controllers. */
    public record Owner(String kind, String name, String uid, boolean controller) {
    }

    public static LinkedObject of(JsonNode object) {
        List<Owner> owners = new ArrayList<>();
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            owners.add(new Owner(ref.path("kind").asText(), ref.path("name").asText(), ref.path("uid").asText(""),
                    ref.path("controller").asBoolean(false)));
        }
        return new LinkedObject(ObjectId.of(object), object.path("metadata").path("uid").asText(""), List.copyOf(Linker.linksOf(object)),
                List.copyOf(owners));
    }
}
