package io.pushfabric.loadtest.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * End-to-end latencies in microseconds, per phase (by the phase a message was published in) and per
 * second of the run (by the time it arrived). Recording is wait-free; the monitor and the report take
 * interval histograms.
 */
public final class LatencyBook {
    /** One hour: anything slower is clamped, and still far past every limit we judge by. */
    public static final long HIGHEST_MICROS = 3_600_000_000L;
    private static final int DIGITS = 3;

    private final Recorder timeline = new Recorder(HIGHEST_MICROS, DIGITS);
    private final Recorder[] phases = new Recorder[Phases.MAX];
    private final Histogram[] phaseTotals = new Histogram[Phases.MAX];

    public LatencyBook() {
        for (int i = 0; i < Phases.MAX; i++) {
            phases[i] = new Recorder(HIGHEST_MICROS, DIGITS);
            phaseTotals[i] = new Histogram(HIGHEST_MICROS, DIGITS);
        }
    }

    public void record(int phase, long micros) {
        long v = Math.max(0, Math.min(HIGHEST_MICROS, micros));
        timeline.recordValue(v);
        phases[phase].recordValue(v);
    }

    /** Everything recorded since the previous call, for one point of the timeline. */
    public Histogram takeInterval() {
        return timeline.getIntervalHistogram();
    }

    /** Everything recorded for {@code phase} so far. */
    public synchronized Histogram phase(int phase) {
        phaseTotals[phase].add(phases[phase].getIntervalHistogram());
        return phaseTotals[phase].copy();
    }

    /** A latency histogram of any other quantity, e.g. connect times, with the same range. */
    public static Recorder newRecorder() {
        return new Recorder(HIGHEST_MICROS, DIGITS);
    }
}
