package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.RateSweep;
import io.pushfabric.loadtest.scenario.Scenario;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broadcast", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Broadcast fan-out: N clients, every message to all of them, rising broadcast rate until delivery"
                + " falls below 100%% within the settle time or p99 passes the limit.")
final class BroadcastCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "10000", description = "Clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rates", split = ",", defaultValue = "1,2,5,10",
            description = "Broadcasts per second of each step (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--step-s", defaultValue = "10", description = "Seconds per step (default: ${DEFAULT-VALUE}).")
    long step;

    @Option(names = "--warmup-s", defaultValue = "20", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--warmup-rate", defaultValue = "2", description = "Warm-up broadcasts per second (default: ${DEFAULT-VALUE}).")
    double warmupRate;

    @Option(names = "--settle-s", defaultValue = "10", description = "Seconds a step may take after its last publish"
            + " (default: ${DEFAULT-VALUE}).")
    long settle;

    @Option(names = "--p99-limit-ms", defaultValue = "1000", description = "Saturation when p99 passes this (default: ${DEFAULT-VALUE}).")
    double p99Limit;

    @Option(names = "--connect-timeout-s", defaultValue = "180", description = "Time for all clients to connect (default: ${DEFAULT-VALUE}).")
    long connectTimeout;

    @Override
    Scenario scenario() {
        return new RateSweep(new RateSweep.Settings(RateSweep.Kind.BROADCAST, rates, Duration.ofSeconds(step),
                warmupRate, Duration.ofSeconds(warmup), Duration.ofSeconds(settle), p99Limit,
                Duration.ofSeconds(connectTimeout), false));
    }

    @Override
    int clients() {
        return clients;
    }
}
