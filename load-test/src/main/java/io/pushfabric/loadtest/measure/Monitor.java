package io.pushfabric.loadtest.measure;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second: samples every watched process and the machine, takes the latency interval, appends a
 * {@link TimelinePoint} and prints one progress line.
 */
public final class Monitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    /** The counters the monitor turns into rates. */
    public record Counts(long published, long delivered, int live) {
    }

    /** Kafka-side positions: node-topic records so far, and the dispatchers' backlog in push-requests. */
    public record Stages(long dispatched, long dispatcherLag) {
    }

    private final List<Watched> processes;
    private final Supplier<Counts> counts;
    private final Supplier<Stages> stages;
    private Stages lastStages;
    private final LatencyBook latency;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private final Map<String, ProcFs.ProcessSample> lastProcess = new HashMap<>();
    private final List<Runnable> tickListeners = new CopyOnWriteArrayList<>();
    private volatile String phase = "start";
    private volatile String label = "";
    private ProcFs.MachineSample lastMachine;
    private Counts lastCounts = new Counts(0, 0, 0);
    private long lastTickNanos = startNanos;

    /** @param stages the latest Kafka-side reading, or null when unknown (may be slow: sample it elsewhere) */
    public Monitor(List<Watched> processes, Supplier<Counts> counts, Supplier<Stages> stages, LatencyBook latency,
                   PrintStream out) {
        this.processes = List.copyOf(processes);
        this.counts = counts;
        this.stages = stages;
        this.latency = latency;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lt-monitor");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Monitor thread died", e));
            return t;
        });
    }

    public void start() {
        lastMachine = ProcFs.machine().orElse(null);
        for (Watched w : processes) {
            ProcFs.process(w.pid()).ifPresent(s -> lastProcess.put(w.name(), s));
        }
        timer.scheduleAtFixedRate(this::tickSafely, 1, 1, TimeUnit.SECONDS);
    }

    /** The phase the next points belong to, and a short text for the progress line. */
    public void phase(String name, String progressLabel) {
        this.phase = name;
        this.label = progressLabel;
    }

    /** Runs {@code listener} on the monitor's thread after each second's sample, until removed. */
    public void addTickListener(Runnable listener) {
        tickListeners.add(listener);
    }

    public void removeTickListener(Runnable listener) {
        tickListeners.remove(listener);
    }

    public synchronized List<TimelinePoint> timeline() {
        return List.copyOf(timeline);
    }

    public double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public List<Watched> processes() {
        return processes;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("Monitor tick failed: {}", e.toString());
        }
    }

    private synchronized void tick() {
        long now = System.nanoTime();
        double dt = Math.max(1e-3, (now - lastTickNanos) / 1e9);
        lastTickNanos = now;
        Counts c = counts.get();
        double sent = (c.published() - lastCounts.published()) / dt;
        double delivered = (c.delivered() - lastCounts.delivered()) / dt;
        lastCounts = c;
        Histogram h = latency.takeInterval();
        double machineCpu = machineCpu();
        Map<String, TimelinePoint.Proc> procs = new LinkedHashMap<>();
        for (Watched w : processes) {
            Optional<ProcFs.ProcessSample> s = ProcFs.process(w.pid());
            if (s.isEmpty()) {
                continue;
            }
            ProcFs.ProcessSample prev = lastProcess.put(w.name(), s.get());
            double cpu = prev == null ? 0 : (s.get().cpuTicks() - prev.cpuTicks()) * 100.0 / ProcFs.TICKS_PER_SECOND / dt;
            procs.put(w.name(), new TimelinePoint.Proc(round(cpu), round(s.get().rssKb() / 1024.0), s.get().threads()));
        }
        boolean any = h.getTotalCount() > 0;
        double ours = procs.values().stream().mapToDouble(TimelinePoint.Proc::cpu).sum();
        Stages st = stages.get();
        double dispatched = st == null || lastStages == null ? -1 : round((st.dispatched() - lastStages.dispatched()) / dt);
        if (st != null) {
            lastStages = st;
        }
        TimelinePoint point = new TimelinePoint(round(secondsSinceStart()), System.currentTimeMillis(), phase, c.live(),
                round(sent), dispatched, round(delivered), st == null ? -1 : st.dispatcherLag(),
                h.getTotalCount(), any ? ms(h.getValueAtPercentile(50)) : 0, any ? ms(h.getValueAtPercentile(90)) : 0,
                any ? ms(h.getValueAtPercentile(99)) : 0, any ? ms(h.getMaxValue()) : 0, machineCpu,
                round(Math.max(0, machineCpu - ours)), procs);
        timeline.add(point);
        out.println(progressLine(point));
        tickListeners.forEach(Runnable::run);
    }

    private double machineCpu() {
        Optional<ProcFs.MachineSample> m = ProcFs.machine();
        if (m.isEmpty() || lastMachine == null) {
            lastMachine = m.orElse(null);
            return 0;
        }
        long busy = m.get().busyTicks() - lastMachine.busyTicks();
        long total = m.get().totalTicks() - lastMachine.totalTicks();
        lastMachine = m.get();
        int cores = Runtime.getRuntime().availableProcessors();
        return total <= 0 ? 0 : round(busy * 100.0 * cores / total);
    }

    private String progressLine(TimelinePoint p) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(String.format("[%5.0fs %s] live=%d sent=%.0f/s", p.t(), label, p.live(), p.sentPerSec()));
        if (p.dispatcherLag() >= 0) {
            sb.append(String.format(" disp=%.0f/s lag=%d", p.dispatchedPerSec(), p.dispatcherLag()));
        }
        sb.append(String.format(" dlv=%.0f/s", p.deliveredPerSec()));
        if (p.latencyCount() > 0) {
            sb.append(String.format(" p50=%.1f p99=%.1f max=%.1fms", p.p50(), p.p99(), p.max()));
        }
        sb.append(" |");
        p.processes().forEach((name, proc) -> sb.append(String.format(" %s %.0f%% %.0fM", name, proc.cpu(), proc.rssMb())));
        sb.append(String.format(" | host %.0f%% (others %.0f%%)", p.machineCpu(), p.otherCpu()));
        return sb.toString();
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
