package io.pushfabric.loadtest.measure;

import java.util.Map;

/**
 * One second of a run, ending at {@code epochMillis}. Rates are per second over the interval; latencies (ms) are of the messages that
 * arrived in it; CPU is in % of one core; {@code machineCpu} is the whole machine, other users included, and
 * {@code otherCpu} what the machine spent outside the watched processes (other users' work on a shared box).
 * {@code dispatchedPerSec} is records appended to node topics per second and {@code dispatcherLag} the records
 * of push-requests the dispatchers have not committed yet (both -1 when Kafka could not be asked).
 */
public record TimelinePoint(double t, long epochMillis, String phase, int live, double sentPerSec,
                            double dispatchedPerSec, double deliveredPerSec, long dispatcherLag, long latencyCount,
                            double p50, double p90, double p99, double max, double machineCpu, double otherCpu,
                            Map<String, Proc> processes) {

    /** One process in one second. */
    public record Proc(double cpu, double rssMb, int threads) {
    }
}
