package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.RateSweep;
import io.pushfabric.loadtest.scenario.Scenario;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "targeted", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Targeted sweep: N clients, each message to one random connected user, rising rate until delivery"
                + " falls below 100%% within the settle time or p99 passes the limit.")
final class TargetedCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "10000", description = "Clients, one user each (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rates", split = ",", defaultValue = "10000,20000,30000,40000",
            description = "Messages per second of each step (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--step-s", defaultValue = "10", description = "Seconds per step (default: ${DEFAULT-VALUE}).")
    long step;

    @Option(names = "--warmup-s", defaultValue = "30", description = "Warm-up seconds, not judged; on 2 cores the four"
            + " JVMs' JIT compilers need about this long (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--warmup-rate", defaultValue = "5000", description = "Warm-up rate (default: ${DEFAULT-VALUE}).")
    double warmupRate;

    @Option(names = "--settle-s", defaultValue = "5", description = "Seconds a step may take after its last publish to"
            + " deliver everything (default: ${DEFAULT-VALUE}).")
    long settle;

    @Option(names = "--p99-limit-ms", defaultValue = "1000", description = "Saturation when p99 passes this (default: ${DEFAULT-VALUE}).")
    double p99Limit;

    @Option(names = "--connect-timeout-s", defaultValue = "180", description = "Time for all clients to connect (default: ${DEFAULT-VALUE}).")
    long connectTimeout;

    @Option(names = "--receipts", description = "Every request asks for receipts (\"receipt\":true): compare a run with"
            + " and one without to see what receipts cost.")
    boolean receipts;

    @Override
    Scenario scenario() {
        return new RateSweep(new RateSweep.Settings(RateSweep.Kind.TARGETED, rates, Duration.ofSeconds(step), warmupRate,
                Duration.ofSeconds(warmup), Duration.ofSeconds(settle), p99Limit, Duration.ofSeconds(connectTimeout), receipts));
    }

    @Override
    int clients() {
        return clients;
    }
}
