package io.pushfabric.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.loadtest.fabric.OwnFabricSpec;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.report.PhaseResult;
import io.pushfabric.loadtest.report.RunReport;
import io.pushfabric.loadtest.scenario.ChannelScenario;
import io.pushfabric.loadtest.scenario.ClientSpec;
import io.pushfabric.loadtest.scenario.Runner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel scenario at a tiny size, on a fabric of its own: 60 clients each in 3 of 10 channels (18
 * subscribers per channel), messages to random channels for a few seconds. Asserts the ledger (every
 * subscriber got every message of its channels, once, in order) and that the spread was measured; speed is
 * reported, never asserted.
 */
class ChannelScenarioTest {
    private static final int CLIENTS = 60;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everySubscriberGetsEveryChannelMessageOnceInOrder(@TempDir Path out) throws Exception {
        OwnFabricSpec fabric = TinyFabric.fabric();
        ClientSpec clients = TinyFabric.clients(CLIENTS);
        ChannelScenario scenario = new ChannelScenario(new ChannelScenario.Settings(10, 3, 100, Duration.ofSeconds(3),
                50, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(20)));

        Runner.Outcome outcome = Runner.execute(scenario, fabric, clients, out, "ChannelScenarioTest", System.out);

        RunReport report = outcome.report();
        assertThat(report.clients().stats().everWelcomed()).as("clients welcomed").isEqualTo(CLIENTS);
        assertThat(report.details().get("subscriptions")).as("subscriptions")
                .isEqualTo(Map.of("wanted", (long) CLIENTS * 3, "confirmed", (long) CLIENTS * 3,
                        "subscribersPerChannel", 18.0));
        assertThat(report.totals().publishFailures()).as("publish failures").isZero();
        assertThat(report.totals().lost()).as("lost copies").isZero();
        assertThat(report.totals().misrouted()).as("copies to a client not in the channel").isZero();
        assertThat(report.totals().outOfOrder()).as("copies out of per-channel order").isZero();
        assertThat(report.totals().duplicates()).as("duplicate copies").isZero();
        PhaseResult measured = report.phases().stream().filter(p -> p.name().equals("channels")).findFirst().orElseThrow();
        assertThat(measured.acked()).as("messages published in the measured phase").isEqualTo(300);
        assertThat(measured.expected()).as("18 subscribers per message").isEqualTo(300 * 18);
        assertThat(measured.delivered()).as("copies delivered").isEqualTo(measured.expected());
        assertThat(measured.latency().count()).as("a latency sample per copy").isEqualTo(300 * 18);
        @SuppressWarnings("unchecked")
        Map<String, Object> channels = (Map<String, Object>) report.details().get("channels");
        assertThat(((LatencySummary) channels.get("spreadFirstToLast")).count()).as("messages with a spread")
                .isEqualTo(300);
        assertThat(report.passed()).as("verdict, notes: %s", report.notes()).isTrue();
    }
}
