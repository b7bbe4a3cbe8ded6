package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.Scenario;
import io.pushfabric.loadtest.scenario.SmokeScenario;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "smoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A few hundred clients for a few seconds, targeted messages and some broadcasts; exit code 1 when"
                + " anything is lost, duplicated past the client, out of order, or a client never connected.")
final class SmokeCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "200", description = "Clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", defaultValue = "200", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration-s", defaultValue = "5", description = "Seconds of publishing (default: ${DEFAULT-VALUE}).")
    long duration;

    @Option(names = "--broadcast-every", defaultValue = "50", description = "Every n-th message is a broadcast (default: ${DEFAULT-VALUE}).")
    int broadcastEvery;

    @Override
    Scenario scenario() {
        return new SmokeScenario(new SmokeScenario.Settings(rate, Duration.ofSeconds(duration), 100, Duration.ofSeconds(2),
                broadcastEvery, Duration.ofSeconds(60), Duration.ofSeconds(20)));
    }

    @Override
    int clients() {
        return clients;
    }
}
