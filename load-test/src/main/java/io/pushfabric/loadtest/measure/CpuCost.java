package io.pushfabric.loadtest.measure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the fabric's processes spent on the messages of one measured window: CPU time (user + system, from
 * {@code /proc/<pid>/stat}) between two readings, divided by the deliveries made in the window. The fabric is
 * Kafka, Redis, the dispatcher(s) and the connectors; the load generator is listed but never part of the total.
 * A process missing from either reading (it died, e.g. the storm's victim) is left out.
 *
 * @param windowSeconds          length of the window (publishing plus settling)
 * @param delivered              deliveries made in the window (a broadcast counts once per client)
 * @param fabricCpuSeconds       CPU time of the fabric's processes together
 * @param fabricCpuPercent       the same as a mean in % of one core
 * @param fabricMicrosPerMessage fabric CPU per delivery in µs, -1 when nothing was delivered
 * @param processes              every process read twice, fabric or not
 */
public record CpuCost(double windowSeconds, long delivered, double fabricCpuSeconds, double fabricCpuPercent,
                      double fabricMicrosPerMessage, Map<String, Process> processes) {

    /** One process in the window. */
    public record Process(boolean fabric, double cpuSeconds, double cpuPercent, double microsPerMessage) {
    }

    /**
     * @param ticksAtStart   CPU ticks so far of each process (by name) when the window opened
     * @param ticksAtEnd     the same when it closed
     * @param fabric         the names that belong to the fabric
     * @param ticksPerSecond clock ticks per second of those readings
     */
    public static CpuCost of(Map<String, Long> ticksAtStart, Map<String, Long> ticksAtEnd, Set<String> fabric,
                             double windowSeconds, long delivered, int ticksPerSecond) {
        if (windowSeconds <= 0) {
            throw new IllegalArgumentException("the window must be positive, was " + windowSeconds + " s");
        }
        Map<String, Process> processes = new LinkedHashMap<>();
        double fabricSeconds = 0;
        for (Map.Entry<String, Long> start : ticksAtStart.entrySet()) {
            Long end = ticksAtEnd.get(start.getKey());
            if (end == null) {
                continue;
            }
            double seconds = Math.max(0, end - start.getValue()) / (double) ticksPerSecond;
            boolean inFabric = fabric.contains(start.getKey());
            if (inFabric) {
                fabricSeconds += seconds;
            }
            processes.put(start.getKey(), new Process(inFabric, round(seconds, 3), round(100 * seconds / windowSeconds, 1),
                    perMessage(seconds, delivered)));
        }
        return new CpuCost(round(windowSeconds, 3), delivered, round(fabricSeconds, 3),
                round(100 * fabricSeconds / windowSeconds, 1), perMessage(fabricSeconds, delivered), processes);
    }

    /** "123.4 µs/msg (kafka 60.1, redis 0.2, ...)" for the console. */
    public String brief(String unit) {
        StringBuilder sb = new StringBuilder();
        sb.append(fabricMicrosPerMessage < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", fabricMicrosPerMessage))
                .append(" µs/").append(unit).append(" fabric CPU (");
        boolean first = true;
        for (Map.Entry<String, Process> e : processes.entrySet()) {
            if (e.getValue().fabric()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", e.getValue().microsPerMessage()));
                first = false;
            }
        }
        return sb.append(String.format(Locale.ROOT, "; %.0f%% of a core)", fabricCpuPercent)).toString();
    }

    private static double perMessage(double cpuSeconds, long delivered) {
        return delivered <= 0 ? -1 : round(cpuSeconds * 1e6 / delivered, 2);
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
