package io.pushfabric.loadtest.fabric;

import java.nio.file.Path;

/** Which fabric a run uses. */
public sealed interface FabricSpec permits OwnFabricSpec, ExistingFabricSpec {

    /** Starts (or attaches to) the fabric; service logs and jar snapshots go under {@code runDir}. */
    static Fabric open(FabricSpec spec, Path runDir) {
        if (spec instanceof OwnFabricSpec own) {
            return OwnFabric.start(own, runDir);
        }
        return new ExistingFabric((ExistingFabricSpec) spec);
    }
}
