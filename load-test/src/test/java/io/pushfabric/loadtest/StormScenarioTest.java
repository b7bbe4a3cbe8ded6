package io.pushfabric.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.report.RunReport;
import io.pushfabric.loadtest.scenario.Runner;
import io.pushfabric.loadtest.scenario.ReconnectStorm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnect storm, small: two connectors, 60 clients on the one killed with SIGKILL and 20 on the other,
 * 100 targeted messages a second throughout; during the warm-up the 20 drop and resume on their own connector (a
 * rehearsal). Every client must come back with nothing lost, and the storm's
 * report must hold the latency of the messages to the 20 that stayed connected. Times are reported, never asserted.
 */
class StormScenarioTest {
    private static final int VICTIMS = 60;
    private static final int STAYING = 20;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyDroppedClientComesBackAndTheOthersAreMeasuredApart(@TempDir Path out) throws Exception {
        ReconnectStorm storm = new ReconnectStorm(new ReconnectStorm.Settings(100, Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(60),
                Duration.ofSeconds(60), VICTIMS, 20));

        Runner.Outcome outcome = Runner.execute(storm, TinyFabric.fabric(), TinyFabric.clients(VICTIMS + STAYING), out,
                "StormScenarioTest", System.out);

        RunReport report = outcome.report();
        assertThat(report.passed()).as("storm verdict, notes: %s", report.notes()).isTrue();
        assertThat(report.totals().lost()).as("lost deliveries").isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) report.details().get("storm");
        assertThat(result.get("clientsDropped")).as("clients of the killed connector").isEqualTo(VICTIMS);
        assertThat(result.get("resumesNotRecovered")).isEqualTo(0L);
        assertThat((Long) result.get("rehearsalResumes")).as("the others' resumes during the warm-up").isPositive();
        assertThat(result.get("clientsOfOthersDropped")).as("the rehearsal kept them on their own connector")
                .isEqualTo(0);
        LatencySummary stayed = (LatencySummary) result.get("deliveredToClientsThatStayed (kill to recovery)");
        long published = (Long) result.get("publishedDuringStorm");
        assertThat(stayed.count()).as("messages to the clients that stayed, from the kill until all were back")
                .isPositive().isLessThan(published);
    }
}
