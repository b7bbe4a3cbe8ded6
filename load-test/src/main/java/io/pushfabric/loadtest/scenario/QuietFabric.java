package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.measure.CompilerWatch;
import io.pushfabric.loadtest.measure.CpuCost;
import io.pushfabric.loadtest.measure.CpuMeter;
import io.pushfabric.loadtest.measure.JitWarmup;
import io.pushfabric.loadtest.measure.ProcFs;
import io.pushfabric.loadtest.measure.Watched;
import io.pushfabric.loadtest.publish.RatedPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the fabric costs when nothing happens, and how long its JVMs take to warm up. Measures the CPU of every
 * process over {@code coldHold} right after the fabric started (no clients: "cold idle"), connects the clients,
 * publishes a targeted warm-up so the JIT compiles the hot paths, stops publishing, waits up to {@code jitWait} for
 * every JVM's compilers to go quiet, and measures again over {@code hold} with the clients connected ("warm idle",
 * the steady state; the compilers' share of it is reported apart). Throughout, it watches each JVM's JIT
 * compiler threads and reports when they went quiet ({@link JitWarmup}). Kafka is not probed during the run, so
 * the load generator adds no broker work of its own. Passes when nothing was lost and warm idle stayed below
 * {@code idleLimitPercent} of one core for the whole fabric.
 */
public final class QuietFabric implements Scenario {
    /**
     * @param warmupRate          targeted messages per second of the warm-up
     * @param jitThresholdPercent compiler threads averaging below this (% of one core) ...
     * @param jitQuiet            ... over every window this long count as quiet
     * @param jitWait             longest wait after the warm-up for every JVM's compilers to be quiet before warm
     *                            idle is measured; zero measures at once
     */
    public record Settings(Duration coldHold, double warmupRate, Duration warmup, Duration settle, Duration hold,
                           double idleLimitPercent, double jitThresholdPercent, Duration jitQuiet, Duration jitWait,
                           Duration connectTimeout) {
        public Settings {
            if (warmupRate <= 0 || hold.isZero() || hold.isNegative()) {
                throw new IllegalArgumentException("--warmup-rate and --hold-s must be positive");
            }
        }
    }

    private final Settings settings;

    public QuietFabric(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "quiet";
    }

    @Override
    public boolean probesKafka() {
        return false;
    }

    @Override
    public int maxTargeted() {
        return (int) Math.min(Integer.MAX_VALUE - 16, settings.warmupRate() * settings.warmup().toSeconds() * 1.05 + 1000);
    }

    @Override
    public int maxBroadcasts() {
        return 0;
    }

    @Override
    public boolean run(RunContext run) throws Exception {
        List<Watched> fabric = run.fabric().processes();
        CpuCost warm;
        CompilerWatch jit = new CompilerWatch(fabric);
        jit.sample();
        Runnable sampleJit = jit::sample;
        run.monitor().addTickListener(sampleJit);
        try {
            CpuCost cold = hold(run, "cold idle", "cold idle, no clients", settings.coldHold());
            run.detail("coldIdle", idle(cold, 0));
            run.out().printf(Locale.ROOT, "COLD IDLE (no clients): fabric %.1f%% of one core %s%n", cold.fabricCpuPercent(),
                    perProcess(cold));
            int live = run.connectAll(settings.connectTimeout());
            if (live == 0) {
                run.note("no client connected; nothing to measure");
                return false;
            }
            Map<String, Double> ageAtTraffic = new LinkedHashMap<>();
            fabric.forEach(w -> ageAtTraffic.put(w.name(), ProcFs.ageSeconds(w.pid())));
            run.publishPhase("warmup", String.format(Locale.ROOT, "warm-up %.0f msg/s", settings.warmupRate()), "targeted",
                    settings.warmupRate(), settings.warmup(), RatedPublisher.Mix.targeted(run.audience()),
                    settings.settle());
            double waited = awaitQuietCompilers(run, jit);
            Map<String, Double> compiledBefore = jit.cpuSeconds();
            warm = hold(run, "warm idle", "idle, " + live + " clients, no traffic", settings.hold());
            double compilers = compilerPercent(compiledBefore, jit.cpuSeconds(), warm.windowSeconds());
            Map<String, Object> warmIdle = idle(warm, live);
            warmIdle.put("waitedForQuietCompilersS", Math.round(waited * 10) / 10.0);
            warmIdle.put("compilerCpuPercentOfOneCore", Math.round(compilers * 100) / 100.0);
            run.detail("warmIdle", warmIdle);
            run.out().printf(Locale.ROOT, "WARM IDLE (%d clients, %.0f s after the warm-up): fabric %.1f%% of one core %s,"
                    + " of which JIT compilers %.1f%%; limit %.1f%%%n", live, waited, warm.fabricCpuPercent(),
                    perProcess(warm), compilers, settings.idleLimitPercent());
            Map<String, Object> warmup = jitWarmup(jit.samples(), ageAtTraffic);
            run.detail("jitWarmup", warmup);
            warmup.forEach((name, r) -> run.out().printf("JIT %s: %s%n", name, ((Map<?, ?>) r).get("verdict")));
        } finally {
            run.monitor().removeTickListener(sampleJit);
        }
        run.drain(Duration.ofSeconds(10));
        long lost = run.ledger().lost(-1);
        if (lost > 0) {
            run.note(lost + " warm-up deliveries never arrived");
        }
        boolean quiet = warm.fabricCpuPercent() < settings.idleLimitPercent();
        if (!quiet) {
            run.note(String.format(Locale.ROOT, "warm idle fabric CPU %.1f%% of one core is not below %.1f%%",
                    warm.fabricCpuPercent(), settings.idleLimitPercent()));
        }
        return lost == 0 && quiet;
    }

    /**
     * Waits, at most {@link Settings#jitWait}, until every JVM's compilers are quiet by the same rule as the warm-up
     * report. @return the seconds waited
     */
    private double awaitQuietCompilers(RunContext run, CompilerWatch jit) throws InterruptedException {
        if (settings.jitWait().isZero()) {
            return 0;
        }
        run.beginPhase("jit wait", "no traffic, waiting for the JIT compilers to go quiet");
        long start = System.nanoTime();
        long deadline = start + settings.jitWait().toNanos();
        boolean quiet;
        while (!(quiet = jit.allQuiet(settings.jitThresholdPercent(), settings.jitQuiet().toSeconds()))
                && System.nanoTime() < deadline) {
            Thread.sleep(1_000); // the monitor samples the compilers once a second
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (!quiet) {
            run.note(String.format(Locale.ROOT, "the JIT compilers were not all quiet after %.0f s (--jit-wait-s);"
                    + " warm idle measured anyway", waited));
        }
        return waited;
    }

    /** The fabric JVMs' compiler CPU between two readings, in % of one core over {@code seconds}. */
    static double compilerPercent(Map<String, Double> before, Map<String, Double> after, double seconds) {
        double spent = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            spent += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        }
        return seconds > 0 ? 100 * spent / seconds : 0;
    }

    /** Holds still for {@code duration} in a phase of its own. @return the CPU spent meanwhile */
    private static CpuCost hold(RunContext run, String phase, String label, Duration duration) throws InterruptedException {
        run.beginPhase(phase, label);
        CpuMeter.Window window = run.openCpuWindow();
        Thread.sleep(duration.toMillis()); // holding still is the measurement
        return window.close(0);
    }

    private static Map<String, Object> idle(CpuCost cpu, int clients) {
        Map<String, Object> idle = new LinkedHashMap<>();
        idle.put("clients", clients);
        idle.put("seconds", cpu.windowSeconds());
        idle.put("fabricCpuPercent", cpu.fabricCpuPercent());
        Map<String, Double> processes = new LinkedHashMap<>();
        cpu.processes().forEach((name, p) -> processes.put(p.fabric() ? name : name + " (not fabric)", p.cpuPercent()));
        idle.put("cpuPercentOfOneCore", processes);
        return idle;
    }

    private Map<String, Object> jitWarmup(Map<String, List<JitWarmup.Sample>> samples, Map<String, Double> ageAtTraffic) {
        Map<String, Object> out = new LinkedHashMap<>();
        samples.forEach((name, list) -> {
            JitWarmup.Result r = JitWarmup.of(list, settings.jitThresholdPercent(), settings.jitQuiet().toSeconds());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("quietAfterStartS", r.settledAtSeconds());
            double traffic = ageAtTraffic.getOrDefault(name, -1.0);
            one.put("quietAfterTrafficStartS", r.settledAtSeconds() < 0 || traffic < 0 ? -1
                    : Math.round((r.settledAtSeconds() - traffic) * 10) / 10.0);
            one.put("trafficStartedAtS", Math.round(traffic * 10) / 10.0);
            one.put("observedFromS", r.observedFromSeconds());
            one.put("observedToS", r.observedToSeconds());
            one.put("compilerCpuSeconds", r.compilerCpuSeconds());
            one.put("verdict", r.verdict());
            one.put("compilerCpuPercentEachSecond", list.stream().map(JitWarmup.Sample::cpuPercent).toList());
            out.put(name, one);
        });
        return out;
    }

    private static String perProcess(CpuCost cpu) {
        StringBuilder sb = new StringBuilder("(");
        cpu.processes().forEach((name, p) -> sb.append(sb.length() > 1 ? ", " : "").append(name)
                .append(p.fabric() ? " " : " [not fabric] ").append(String.format(Locale.ROOT, "%.1f%%", p.cpuPercent())));
        return sb.append(')').toString();
    }
}
