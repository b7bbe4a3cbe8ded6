package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.ChannelScenario;
import io.pushfabric.loadtest.scenario.Scenario;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "channels", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Clients each in some channels (joined at connect), messages published to random channels;"
                + " fan-out latency per copy and first-to-last copy spread; exit code 1 when any copy is lost,"
                + " duplicated past the client, out of channel order, or a subscription was never confirmed.")
final class ChannelsCommand extends ScenarioCommand {
    @Option(names = "--clients", defaultValue = "500", description = "Clients (default: ${DEFAULT-VALUE}; issue 11's"
            + " full size is 10000).")
    int clients;

    @Option(names = "--channels", defaultValue = "100", description = "Channels (default: ${DEFAULT-VALUE}; full size 1000).")
    int channels;

    @Option(names = "--per-client", defaultValue = "5", description = "Channels each client joins (default: ${DEFAULT-VALUE}).")
    int perClient;

    @Option(names = "--rate", defaultValue = "200", description = "Channel messages per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration-s", defaultValue = "20", description = "Seconds of publishing (default: ${DEFAULT-VALUE}).")
    long duration;

    @Option(names = "--warmup-rate", defaultValue = "50", description = "Messages per second in the warm-up (default: ${DEFAULT-VALUE}).")
    double warmupRate;

    @Option(names = "--warmup-s", defaultValue = "5", description = "Seconds of warm-up (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Override
    Scenario scenario() {
        return new ChannelScenario(new ChannelScenario.Settings(channels, perClient, rate, Duration.ofSeconds(duration),
                warmupRate, Duration.ofSeconds(warmup), Duration.ofSeconds(120), Duration.ofSeconds(30)));
    }

    @Override
    int clients() {
        return clients;
    }
}
