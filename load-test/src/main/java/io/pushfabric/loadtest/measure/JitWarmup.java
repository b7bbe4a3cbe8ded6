package io.pushfabric.loadtest.measure;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a JVM's JIT compilers went quiet: the start of the first {@code quiet}-second window in which its compiler
 * threads (C1 and C2 {@code CompilerThread}s) averaged below {@code threshold} % of a core, provided every later
 * such window did too, until the end of the observation. Averaging over the window, not per second, because
 * Linux counts thread CPU in ticks of 10 ms: one tick in a second is already 1 % of a core. Times are the
 * process's age (seconds since it started).
 */
public final class JitWarmup {
    /** Samples are about a second apart but not exactly: a window this much short of the length still counts. */
    private static final double SLACK_SECONDS = 0.5;

    private JitWarmup() {
    }

    /** Compiler CPU over one interval of the process's life, in % of one core. */
    public record Sample(double fromSeconds, double toSeconds, double cpuPercent) {
    }

    /**
     * @param settledAtSeconds   process age when the compilers went quiet for good, -1 when they had not
     * @param observedFromSeconds process age at the first reading
     * @param observedToSeconds  process age at the last reading
     * @param compilerCpuSeconds compiler CPU over the observation
     * @param verdict            the same in words
     */
    public record Result(double settledAtSeconds, double observedFromSeconds, double observedToSeconds,
                         double compilerCpuSeconds, String verdict) {
    }

    /** @param samples one process's samples in time order, back to back */
    public static Result of(List<Sample> samples, double thresholdPercent, double quietSeconds) {
        if (samples.isEmpty()) {
            return new Result(-1, -1, -1, 0, "not observed");
        }
        double from = samples.get(0).fromSeconds();
        double to = samples.get(samples.size() - 1).toSeconds();
        double cpuSeconds = 0;
        for (Sample s : samples) {
            cpuSeconds += cpuSeconds(s);
        }
        cpuSeconds = Math.round(cpuSeconds * 100) / 100.0;
        double settledAt = -1;
        boolean anyWindow = false;
        for (int end = 0; end < samples.size(); end++) {
            double windowEnd = samples.get(end).toSeconds();
            int first = end;
            double busy = cpuSeconds(samples.get(end));
            while (first > 0 && windowEnd - samples.get(first).fromSeconds() < quietSeconds - SLACK_SECONDS) {
                first--;
                busy += cpuSeconds(samples.get(first));
            }
            double length = windowEnd - samples.get(first).fromSeconds();
            if (length < quietSeconds - SLACK_SECONDS) {
                continue;
            }
            anyWindow = true;
            if (100 * busy / length >= thresholdPercent) {
                settledAt = -1;
            } else if (settledAt < 0) {
                settledAt = samples.get(first).fromSeconds();
            }
        }
        if (!anyWindow) {
            return new Result(-1, round(from), round(to), cpuSeconds, String.format(Locale.ROOT,
                    "observed for %.0f s only, less than one %.0f s window", to - from, quietSeconds));
        }
        if (settledAt < 0) {
            return new Result(-1, round(from), round(to), cpuSeconds, String.format(Locale.ROOT,
                    "compilers still averaged >= %.0f%% of a core over the last %.0f s (at %.0f s of the process's life)",
                    thresholdPercent, quietSeconds, to));
        }
        String when = settledAt == from ? "already quiet at the first reading," : "quiet since";
        return new Result(round(settledAt), round(from), round(to), cpuSeconds, String.format(Locale.ROOT,
                "%s %.0f s after the process started (every %.0f s window since averaged below %.0f%%)", when,
                settledAt, quietSeconds, thresholdPercent));
    }

    /** Compiler CPU seconds of one sample. */
    static double cpuSeconds(Sample s) {
        return s.cpuPercent() / 100 * (s.toSeconds() - s.fromSeconds());
    }

    /**
     * Compiler ticks spent between two per-thread readings (thread id to ticks so far): a thread in both counts
     * its growth, a new one all of its ticks; one that ended in between loses its last interval, as it must,
     * having no reading left.
     */
    public static long ticksBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long spent = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            spent += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return spent;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
