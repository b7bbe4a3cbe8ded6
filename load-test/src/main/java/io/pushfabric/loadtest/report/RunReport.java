package io.pushfabric.loadtest.report;

import io.pushfabric.loadtest.client.ClientFleet;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.measure.TimelinePoint;
import java.util.List;
import java.util.Map;

/**
 * Everything one run found, as written to {@code result.json} and rendered into {@code report.html}.
 *
 * @param details  what only this scenario measures (sweep saturation, idle levels, storm recovery ...)
 * @param passed   the scenario's own pass rule (zero loss for smoke and storm); informational for sweeps
 */
public record RunReport(String scenario, String runId, String startedAt, double seconds, String command,
                        Map<String, String> environment, Map<String, String> fabric, Clients clients,
                        List<PhaseResult> phases, Totals totals, List<ProcessSummary> processes,
                        Map<String, Object> details, List<String> notes, boolean passed, List<TimelinePoint> timeline) {

    /** The simulated clients. */
    public record Clients(int requested, String transport, List<String> sourceAddresses, int concurrency,
                          LatencySummary handshake, LatencySummary welcome, ClientFleet.Stats stats) {
    }

    /** Delivery accounting over the whole run. */
    public record Totals(long published, long publishFailures, long delivered, long lost, long duplicates,
                         long outOfOrder, long misrouted, long unknown) {
    }
}
