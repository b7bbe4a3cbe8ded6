package io.pushfabric.loadtest.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU of each JVM's JIT compiler threads ({@code C1/C2 CompilerThread} in {@code /proc/<pid>/task/*}), as
 * {@link JitWarmup.Sample}s against the process's age, one per {@link #sample()} (the {@link Monitor} calls it
 * once a second). A process without compiler threads (Redis) yields none.
 */
public final class CompilerWatch {
    private static final String COMPILER_THREAD = "CompilerThre";

    private final List<Watched> processes;
    private final Map<String, Map<Long, Long>> last = new HashMap<>();
    private final Map<String, Double> lastAge = new HashMap<>();
    private final Map<String, List<JitWarmup.Sample>> samples = new LinkedHashMap<>();

    public CompilerWatch(List<Watched> processes) {
        this.processes = List.copyOf(processes);
    }

    /** The samples so far of each process that has compiler threads. */
    public synchronized Map<String, List<JitWarmup.Sample>> samples() {
        Map<String, List<JitWarmup.Sample>> copy = new LinkedHashMap<>();
        samples.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        return copy;
    }

    /**
     * Whether every watched JVM's compilers are quiet now: its samples so far settle ({@link JitWarmup#of}), which
     * needs the last {@code quietSeconds} window to average below {@code thresholdPercent}.
     */
    public synchronized boolean allQuiet(double thresholdPercent, double quietSeconds) {
        return !samples.isEmpty() && samples.values().stream()
                .allMatch(list -> JitWarmup.of(list, thresholdPercent, quietSeconds).settledAtSeconds() >= 0);
    }

    /** Each JVM's compiler CPU seconds over its samples so far. */
    public synchronized Map<String, Double> cpuSeconds() {
        Map<String, Double> spent = new LinkedHashMap<>();
        samples.forEach((name, list) -> spent.put(name, list.stream().mapToDouble(JitWarmup::cpuSeconds).sum()));
        return spent;
    }

    /** Reads every process's compiler threads and adds the interval since the previous reading. */
    public synchronized void sample() {
        for (Watched w : processes) {
            Map<Long, Long> now = ProcFs.threadTicksById(w.pid(), COMPILER_THREAD);
            double age = ProcFs.ageSeconds(w.pid());
            if (now.isEmpty() || age < 0) {
                continue;
            }
            Map<Long, Long> before = last.put(w.name(), now);
            Double beforeAge = lastAge.put(w.name(), age);
            if (before != null && age > beforeAge) {
                double cpu = JitWarmup.ticksBetween(before, now) * 100.0 / ProcFs.TICKS_PER_SECOND / (age - beforeAge);
                samples.computeIfAbsent(w.name(), k -> new ArrayList<>())
                        .add(new JitWarmup.Sample(beforeAge, age, Math.round(cpu * 10) / 10.0));
            }
        }
    }
}
