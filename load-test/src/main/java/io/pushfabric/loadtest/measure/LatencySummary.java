package io.pushfabric.loadtest.measure;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a histogram of microseconds, in milliseconds. {@code curve} holds (percentile, ms)
 * points for the percentile plot of the report.
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double max,
                             List<double[]> curve) {

    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, List.of());
        }
        List<double[]> curve = new ArrayList<>();
        for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999}) {
            curve.add(new double[] {p, ms(h.getValueAtPercentile(p))});
        }
        curve.add(new double[] {100, ms(h.getMaxValue())});
        return new LatencySummary(h.getTotalCount(), h.getMean() / 1000.0, ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()), curve);
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    public String brief() {
        return count == 0 ? "no samples"
                : String.format("p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f ms (n=%d)", p50, p90, p99, p999, max, count);
    }
}
