package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.QuietFabric;
import io.pushfabric.loadtest.scenario.Scenario;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quiet", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Idle fabric CPU and JIT warm-up: CPU of every process right after start with no clients (cold"
                + " idle), then N clients, a targeted warm-up, and CPU with no traffic (warm idle); per JVM, when its JIT"
                + " compiler threads went quiet. Exit code 1 when warm idle is not below --idle-limit-pct or anything"
                + " was lost.")
final class QuietCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "10000", description = "Clients connected in warm idle (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--cold-hold-s", defaultValue = "30", description = "Seconds of cold idle measured right after the"
            + " fabric started, before any client (default: ${DEFAULT-VALUE}).")
    long coldHold;

    @Option(names = "--warmup-s", defaultValue = "30", description = "Seconds of targeted warm-up (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--warmup-rate", defaultValue = "5000", description = "Warm-up messages per second (default: ${DEFAULT-VALUE}).")
    double warmupRate;

    @Option(names = "--settle-s", defaultValue = "10", description = "Seconds the warm-up may take to deliver after its"
            + " last publish (default: ${DEFAULT-VALUE}).")
    long settle;

    @Option(names = "--hold-s", defaultValue = "60", description = "Seconds of warm idle measured (default: ${DEFAULT-VALUE}).")
    long hold;

    @Option(names = "--idle-limit-pct", defaultValue = "5", description = "Warm idle must use less than this, in %% of one"
            + " core, for the whole fabric (default: ${DEFAULT-VALUE}).")
    double idleLimit;

    @Option(names = "--jit-threshold-pct", defaultValue = "1", description = "A JVM's compiler threads averaging below this"
            + " (%% of one core) over every --jit-quiet-s window count as quiet (default: ${DEFAULT-VALUE}).")
    double jitThreshold;

    @Option(names = "--jit-quiet-s", defaultValue = "10", description = "Length of those windows, in seconds (default:"
            + " ${DEFAULT-VALUE}).")
    long jitQuiet;

    @Option(names = "--jit-wait-s", defaultValue = "300", description = "After the warm-up, wait up to this long for"
            + " every fabric JVM's JIT compilers to go quiet before measuring warm idle; 0 measures at once (default:"
            + " ${DEFAULT-VALUE}).")
    long jitWait;

    @Option(names = "--connect-timeout-s", defaultValue = "180", description = "Time for all clients to connect (default: ${DEFAULT-VALUE}).")
    long connectTimeout;

    @Override
    Scenario scenario() {
        return new QuietFabric(new QuietFabric.Settings(Duration.ofSeconds(coldHold), warmupRate, Duration.ofSeconds(warmup),
                Duration.ofSeconds(settle), Duration.ofSeconds(hold), idleLimit, jitThreshold, Duration.ofSeconds(jitQuiet),
                Duration.ofSeconds(jitWait), Duration.ofSeconds(connectTimeout)));
    }

    @Override
    int clients() {
        return clients;
    }
}
