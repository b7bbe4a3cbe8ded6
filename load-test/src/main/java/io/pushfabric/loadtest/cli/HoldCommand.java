package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.fabric.Fabric;
import io.pushfabric.loadtest.fabric.FabricSpec;
import io.pushfabric.loadtest.scenario.FabricHold;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hold", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start a fabric of its own and hold it for load generators started apart (idle --connect, each"
                + " with its own --source-addresses): write their arguments to --args-file, wait until the connectors"
                + " hold --expect sessions, hold, print memory per session per connector, stop the fabric.")
final class HoldCommand implements Callable<Integer> {
    @Mixin
    FabricOptions fabric;

    @Mixin
    OutputOptions output;

    @Option(names = "--expect", required = true, description = "Sessions to wait for, over all connectors.")
    int expect;

    @Option(names = "--args-file", required = true, description = "Where to write the load generators' --connect,"
            + " --secret and --bootstrap arguments.")
    Path argsFile;

    @Option(names = "--hold-s", defaultValue = "30", description = "Seconds to hold before measuring (default: ${DEFAULT-VALUE}).")
    long hold;

    @Option(names = "--max-wait-s", defaultValue = "600", description = "Longest wait for the sessions (default: ${DEFAULT-VALUE}).")
    long maxWait;

    @Option(names = "--stalled-s", defaultValue = "60", description = "Stop waiting when the session count has not"
            + " grown for this long (default: ${DEFAULT-VALUE}).")
    long stalled;

    @Override
    public Integer call() throws Exception {
        if (!fabric.connect.isEmpty()) {
            throw new IllegalArgumentException("hold starts its own fabric; --connect is for the load generators");
        }
        Path runDir = output.newRunDir("hold");
        FabricHold hold = new FabricHold(new FabricHold.Settings(expect, Duration.ofSeconds(this.hold),
                Duration.ofSeconds(maxWait), Duration.ofSeconds(stalled), argsFile), System.out);
        Fabric f = FabricSpec.open(fabric.spec(), runDir);
        Thread stop = new Thread(f::close, "lt-hold-shutdown"); // Ctrl-C stops the fabric too
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            hold.run(f);
        } finally {
            f.close();
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        return 0;
    }
}
