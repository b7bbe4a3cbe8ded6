package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.ReconnectStorm;
import io.pushfabric.loadtest.scenario.Scenario;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "storm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reconnect storm: every client on connector 0, targeted messages flowing, connector 0 killed with"
                + " SIGKILL; time until every client is back and recovered on the others; lost must be 0 (exit 1 otherwise).")
final class StormCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "10000", description = "Clients on the victim (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--survivor-clients", defaultValue = "0", description = "Extra clients on the other connector(s),"
            + " which keep the survivors warm as in a real fleet; they must lose nothing either (default: ${DEFAULT-VALUE}).")
    int survivorClients;

    @Option(names = "--rate", defaultValue = "1000", description = "Targeted messages per second throughout (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup-s", defaultValue = "10", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--before-s", defaultValue = "5", description = "Steady seconds measured before the kill (default: ${DEFAULT-VALUE}).")
    long before;

    @Option(names = "--kill-after-s", defaultValue = "3", description = "Seconds into the storm phase when the victim dies (default: ${DEFAULT-VALUE}).")
    long killAfter;

    @Option(names = "--publish-s", defaultValue = "25", description = "Seconds the storm phase publishes (default: ${DEFAULT-VALUE}).")
    long publishFor;

    @Option(names = "--rehearsal-rate", defaultValue = "0", description = "During the warm-up, the other connectors'"
            + " clients (--survivor-clients) drop and resume on their own connector this many times a second, so that"
            + " its connect and resume paths are compiled before the kill, as on a node that has served reconnects all"
            + " day; 0: none (default: ${DEFAULT-VALUE}).")
    double rehearsalRate;

    @Option(names = "--recovery-limit-s", defaultValue = "60", description = "Give up waiting for recovery after this (default: ${DEFAULT-VALUE}).")
    long recoveryLimit;

    @Option(names = "--connect-timeout-s", defaultValue = "180", description = "Time for all clients to connect (default: ${DEFAULT-VALUE}).")
    long connectTimeout;

    @Override
    Scenario scenario() {
        return new ReconnectStorm(new ReconnectStorm.Settings(rate, Duration.ofSeconds(warmup), Duration.ofSeconds(before),
                Duration.ofSeconds(killAfter), Duration.ofSeconds(publishFor), Duration.ofSeconds(recoveryLimit),
                Duration.ofSeconds(connectTimeout), clients, rehearsalRate));
    }

    @Override
    int clients() {
        return clients + survivorClients;
    }
}
