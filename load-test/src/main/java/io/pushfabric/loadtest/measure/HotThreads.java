package io.pushfabric.loadtest.measure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which threads of each process burned the CPU between two readings: tells a busy consumer loop from busy
 * I/O threads or a busy collector.
 */
public final class HotThreads {
    private static final int TOP = 6;

    private final List<Watched> processes;
    private Map<String, Map<String, Long>> start = new HashMap<>();
    private long startNanos;

    /** One thread (or pool, digits folded) in % of one core. */
    public record Use(String thread, double cpu) {
    }

    public HotThreads(List<Watched> processes) {
        this.processes = List.copyOf(processes);
    }

    /** Starts a measurement. */
    public synchronized void mark() {
        start = read();
        startNanos = System.nanoTime();
    }

    /** The busiest threads of each process since {@link #mark()}. */
    public synchronized Map<String, List<Use>> since() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        Map<String, Map<String, Long>> now = read();
        Map<String, List<Use>> out = new LinkedHashMap<>();
        now.forEach((process, threads) -> {
            Map<String, Long> before = start.getOrDefault(process, Map.of());
            List<Use> uses = new ArrayList<>();
            threads.forEach((name, ticks) -> {
                double cpu = (ticks - before.getOrDefault(name, 0L)) * 100.0 / ProcFs.TICKS_PER_SECOND / seconds;
                if (cpu >= 0.5) {
                    uses.add(new Use(name, Math.round(cpu * 10) / 10.0));
                }
            });
            uses.sort(Comparator.comparingDouble(Use::cpu).reversed());
            out.put(process, List.copyOf(uses.subList(0, Math.min(TOP, uses.size()))));
        });
        return out;
    }

    private Map<String, Map<String, Long>> read() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        for (Watched w : processes) {
            all.put(w.name(), ProcFs.threadTicks(w.pid()));
        }
        return all;
    }
}
