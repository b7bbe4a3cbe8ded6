package io.pushfabric.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.loadtest.fabric.OwnFabricSpec;
import io.pushfabric.loadtest.report.PhaseResult;
import io.pushfabric.loadtest.report.ReportWriter;
import io.pushfabric.loadtest.report.RunReport;
import io.pushfabric.loadtest.scenario.ClientSpec;
import io.pushfabric.loadtest.scenario.Runner;
import io.pushfabric.loadtest.scenario.SmokeScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke scenario as CI runs it: a fabric of its own (Kafka in this JVM, redis-server, a dispatcher and a
 * connector each in its own JVM from this module's classpath), 200 WebSocket clients, targeted messages and
 * broadcasts for a few seconds. Asserts that nothing is lost; speed is reported, never asserted.
 */
class SmokeScenarioTest {
    private static final int CLIENTS = 200;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyClientGetsEveryMessageOnce(@TempDir Path out) throws Exception {
        OwnFabricSpec fabric = TinyFabric.fabric();
        ClientSpec clients = TinyFabric.clients(CLIENTS);
        SmokeScenario smoke = new SmokeScenario(new SmokeScenario.Settings(200, Duration.ofSeconds(5), 100,
                Duration.ofSeconds(2), 50, Duration.ofSeconds(60), Duration.ofSeconds(20)));

        Runner.Outcome outcome = Runner.execute(smoke, fabric, clients, out, "SmokeScenarioTest", System.out);

        RunReport report = outcome.report();
        assertThat(report.clients().stats().everWelcomed()).as("clients welcomed").isEqualTo(CLIENTS);
        assertThat(report.totals().publishFailures()).as("publish failures").isZero();
        assertThat(report.totals().lost()).as("lost deliveries").isZero();
        assertThat(report.totals().misrouted()).as("deliveries to the wrong client").isZero();
        assertThat(report.totals().outOfOrder()).as("deliveries out of per-user order").isZero();
        PhaseResult measured = report.phases().stream().filter(p -> p.name().equals("smoke")).findFirst().orElseThrow();
        assertThat(measured.acked()).as("messages published in the smoke phase").isEqualTo(1000);
        assertThat(measured.delivered()).as("deliveries of the smoke phase").isEqualTo(measured.expected());
        assertThat(measured.expected()).as("200 clients: 980 targeted + 20 broadcasts x 200").isEqualTo(980 + 20 * CLIENTS);
        assertThat(report.passed()).as("smoke verdict, notes: %s", report.notes()).isTrue();
        assertThat(measured.cpu().processes()).as("CPU read for every fabric process").containsKeys("redis",
                "dispatcher", "connector-0");
        assertThat(measured.cpu().delivered()).as("deliveries the CPU is divided by").isEqualTo(measured.delivered());
        assertThat(measured.cpu().fabricMicrosPerMessage()).as("fabric CPU per delivery, µs").isPositive();
        assertThat(measured.spread().count()).as("every broadcast reached all clients: each has a spread").isEqualTo(20);
        assertThat(measured.recordsPerRequest()).as("records per Kafka request, from the producer's metrics").isPositive();
        assertThat(outcome.html()).exists().content().contains("<svg").doesNotContain("<script");
        assertThat(outcome.runDir().resolve(ReportWriter.JSON)).exists();
        assertThat(new ReportWriter().read(outcome.runDir().resolve(ReportWriter.JSON)).totals().lost()).isZero();
    }
}
