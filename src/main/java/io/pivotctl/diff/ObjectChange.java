package io.pivotctl.diff;

import java.util.List;

/**
 * One object that differs: added, removed, or changed with the field paths that changed ("spec.online",
 * "metadata.labels.x"). Paths only: no value is ever held here, whatever the object.
 */
public record ObjectChange(String object, Change change, List<String> fields) {

    public ObjectChange {
        fields = List.copyOf(fields);
    }
}
