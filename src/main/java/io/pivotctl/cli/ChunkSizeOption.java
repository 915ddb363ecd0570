package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.kube.KubeTarget;
import picocli.CommandLine.Option;

/** kubectl's --chunk-size: how many objects each list request returns (commands that read whole lists). */
final class ChunkSizeOption {

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "500",
            description = "Read lists in pages of N objects, as kubectl does; 0 reads each list in one request (default: ${DEFAULT-VALUE}).")
    long chunkSize;

    KubeTarget apply(KubeTarget target) {
        if (chunkSize < 0) {
            throw PivotctlException.usage("--chunk-size must be 0 (no paging) or a positive number of objects per page, not " + chunkSize);
        }
        return target.withChunkSize(chunkSize);
    }
}
