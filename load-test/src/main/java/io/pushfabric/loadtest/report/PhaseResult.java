package io.pushfabric.loadtest.report;

import io.pushfabric.loadtest.measure.CpuCost;
import io.pushfabric.loadtest.measure.HotThreads;
import io.pushfabric.loadtest.measure.LatencySummary;
import java.util.List;
import java.util.Map;

/**
 * One phase of a run (a warm-up, a rate step, a storm).
 *
 * @param targetRate     messages per second asked of the publisher
 * @param sentPerSec     publishes acknowledged per second of the phase
 * @param deliveredPerSec deliveries (a broadcast counts once per client) per second of the phase
 * @param deliveredRatio deliveries made by the end of the settle time / deliveries expected
 * @param lost           expected deliveries that never arrived, counted at the end of the run
 * @param settleMillis   how long after the last publish the phase took to deliver everything (or the limit)
 * @param processes      CPU (% of one core, mean and max) and peak RSS of each process during the phase
 * @param hotThreads     the busiest threads of each process while the phase published (% of one core)
 * @param cpu            CPU of every process from the phase's start to the end of its settling, and the fabric's
 *                       CPU per delivery (a broadcast or channel copy counts once per recipient)
 * @param spread         first-to-last copy spread of the phase's broadcasts (or channel messages) that reached
 *                       every recipient; no samples for targeted phases
 * @param recordsPerRequest records per Kafka request of the load generator's producers (-1 when unknown)
 */
public record PhaseResult(String name, String kind, double targetRate, double seconds, long sent, long acked, long failed,
                          long expected, long delivered, double deliveredRatio, long lost, long duplicates,
                          double sentPerSec, double deliveredPerSec, long settleMillis, LatencySummary latency,
                          Map<String, ProcessUse> processes, Map<String, List<HotThreads.Use>> hotThreads,
                          CpuCost cpu, LatencySummary spread, double recordsPerRequest) {

    /** What one process used during a phase. */
    public record ProcessUse(double cpuMean, double cpuMax, double rssMaxMb) {
    }
}
