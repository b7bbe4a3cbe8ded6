package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.publish.RatedPublisher;
import io.pushfabric.loadtest.report.PhaseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rising publish rate until the fabric saturates: delivery within the settle time falls below 100%, p99
 * passes the limit, or the publisher itself cannot keep the rate. Targeted (each message to one random
 * connected user) or broadcast (each message to every client). Each step publishes for {@code step}, then
 * lets the step settle, so steps are measured apart.
 */
public final class RateSweep implements Scenario {
    /** What is published. */
    public enum Kind {
        TARGETED, BROADCAST
    }

    /**
     * @param rates       messages per second of each step (broadcasts per second for BROADCAST)
     * @param warmupRate  rate of the warm-up, which is not judged
     * @param settle      how long a step may take, after its last publish, to deliver everything
     * @param p99LimitMs  a step whose p99 passes this is past saturation
     * @param connectTimeout how long all clients may take to be welcomed
     * @param receipts    every request asks for receipts ({@code "receipt":true}), to measure their cost
     */
    public record Settings(Kind kind, List<Integer> rates, Duration step, double warmupRate, Duration warmup,
                           Duration settle, double p99LimitMs, Duration connectTimeout, boolean receipts) {
        public Settings {
            if (rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0)) {
                throw new IllegalArgumentException("--rates must be positive, were " + rates);
            }
            rates = List.copyOf(rates);
        }
    }

    /**
     * One judged step. {@code fabricCpuMicrosPerDelivery}: CPU of Kafka, Redis, dispatcher and connectors from the
     * step's start to the end of its settling, per delivery (per copy for broadcasts); {@code spread}: first-to-last
     * copy spread of each broadcast (no samples for targeted steps).
     */
    public record Step(double rate, double sentPerSec, double deliveredPerSec, double deliveredPercent, double p50Ms,
                       double p99Ms, double p999Ms, double maxMs, String verdict, double fabricCpuMicrosPerDelivery,
                       double fabricCpuPercent, LatencySummary spread, double recordsPerRequest) {
    }

    private final Settings settings;

    public RateSweep(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.kind() == Kind.TARGETED ? "targeted" : "broadcast";
    }

    @Override
    public int maxTargeted() {
        return settings.kind() == Kind.TARGETED ? capacity() : 0;
    }

    @Override
    public int maxBroadcasts() {
        return settings.kind() == Kind.BROADCAST ? capacity() : 0;
    }

    private int capacity() {
        double total = settings.warmupRate() * settings.warmup().toSeconds();
        for (int r : settings.rates()) {
            total += (double) r * settings.step().toSeconds();
        }
        return (int) Math.min(Integer.MAX_VALUE - 16, total * 1.05 + 1000);
    }

    @Override
    public boolean run(RunContext run) throws Exception {
        int live = run.connectAll(settings.connectTimeout());
        if (live == 0) {
            run.note("no client connected; nothing to measure");
            return false;
        }
        int[] audience = run.audience();
        run.detail("receipts", settings.receipts());
        if (settings.receipts()) {
            run.publisher().askForReceipts();
            run.note("every request asks for receipts (\"receipt\":true)");
        }
        RatedPublisher.Mix mix = settings.kind() == Kind.TARGETED ? RatedPublisher.Mix.targeted(audience)
                : RatedPublisher.Mix.broadcasts();
        String unit = settings.kind() == Kind.TARGETED ? "msg/s" : "broadcasts/s to " + live;
        run.publishPhase("warmup", "warm-up " + (int) settings.warmupRate() + " " + unit, kindName(),
                settings.warmupRate(), settings.warmup(), mix, settings.settle());

        List<Step> steps = new ArrayList<>();
        Step lastGood = null;
        Step firstBad = null;
        int n = settings.rates().size();
        for (int i = 0; i < n; i++) {
            int rate = settings.rates().get(i);
            int index = run.publishPhase("rate " + rate, String.format(Locale.ROOT, "step %d/%d %d %s", i + 1, n, rate, unit),
                    kindName(), rate, settings.step(), mix, settings.settle());
            PhaseResult r = run.phaseResult(index);
            String verdict = verdict(r, rate);
            Step step = new Step(rate, r.sentPerSec(), r.deliveredPerSec(), Math.round(r.deliveredRatio() * 100_000) / 1000.0,
                    r.latency().p50(), r.latency().p99(), r.latency().p999(), r.latency().max(), verdict,
                    r.cpu().fabricMicrosPerMessage(), r.cpu().fabricCpuPercent(), r.spread(), r.recordsPerRequest());
            steps.add(step);
            run.out().printf("STEP %d %s: sent %.0f/s delivered %.0f/s (%.3f%%) %s -> %s; %s%s%n", rate, unit,
                    r.sentPerSec(), r.deliveredPerSec(), 100 * r.deliveredRatio(), r.latency().brief(), verdict,
                    r.cpu().brief(settings.kind() == Kind.TARGETED ? "msg" : "copy"),
                    r.spread().count() == 0 ? "" : "; first-to-last copy spread " + r.spread().brief());
            if (verdict.equals("ok")) {
                lastGood = step;
            } else {
                firstBad = step;
                break;
            }
        }
        run.drain(Duration.ofSeconds(20));
        Map<String, Object> saturation = new LinkedHashMap<>();
        saturation.put("unit", unit);
        saturation.put("highestGoodRate", lastGood == null ? 0 : lastGood.rate());
        saturation.put("highestGoodDeliveredPerSec", lastGood == null ? 0 : lastGood.deliveredPerSec());
        saturation.put("firstBadRate", firstBad == null ? "none (never saturated)" : firstBad.rate());
        saturation.put("why", firstBad == null ? "every step passed" : firstBad.verdict());
        run.detail("saturation", saturation);
        run.detail("steps", steps);
        long lost = run.ledger().lost(-1);
        if (lost > 0) {
            run.note(lost + " expected deliveries never arrived, even after the drain");
        }
        return lost == 0;
    }

    private String verdict(PhaseResult r, int rate) {
        List<String> why = new ArrayList<>();
        if (r.sentPerSec() < 0.95 * rate) {
            why.add(String.format(Locale.ROOT, "publisher reached only %.0f/s", r.sentPerSec()));
        }
        if (r.deliveredRatio() < 1.0) {
            why.add(String.format(Locale.ROOT, "delivered %.3f%% within %d s of the last publish", 100 * r.deliveredRatio(),
                    settings.settle().toSeconds()));
        }
        if (r.latency().p99() > settings.p99LimitMs()) {
            why.add(String.format(Locale.ROOT, "p99 %.0f ms > %.0f ms", r.latency().p99(), settings.p99LimitMs()));
        }
        return why.isEmpty() ? "ok" : String.join("; ", why);
    }

    private String kindName() {
        return settings.kind() == Kind.TARGETED ? "targeted" : "broadcast";
    }
}
