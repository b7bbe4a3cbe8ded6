package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.publish.RatedPublisher;
import java.time.Duration;
import java.util.List;

/**
 * A few hundred clients for a few seconds: targeted messages with every {@code broadcastEvery}-th a
 * broadcast. Passes when every client connected and every expected delivery arrived, once, in order, to
 * the right client. Speed is reported, never judged.
 */
public final class SmokeScenario implements Scenario {
    /**
     * @param rate     messages per second during the measured phase
     * @param duration length of the measured phase
     */
    public record Settings(double rate, Duration duration, double warmupRate, Duration warmup, int broadcastEvery,
                           Duration connectTimeout, Duration drain) {
    }

    private final Settings settings;

    public SmokeScenario(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "smoke";
    }

    @Override
    public int maxTargeted() {
        return (int) (settings.rate() * settings.duration().toSeconds() + settings.warmupRate() * settings.warmup().toSeconds()) + 1000;
    }

    @Override
    public int maxBroadcasts() {
        return maxTargeted() / Math.max(1, settings.broadcastEvery()) + 100;
    }

    @Override
    public boolean run(RunContext run) throws Exception {
        int live = run.connectAll(settings.connectTimeout());
        int[] audience = run.audience();
        if (live == 0) {
            run.note("no client connected");
            return false;
        }
        RatedPublisher.Mix mix = RatedPublisher.Mix.targetedWithBroadcasts(audience, settings.broadcastEvery());
        run.publishPhase("warmup", "warm-up", "targeted+broadcast", settings.warmupRate(), settings.warmup(), mix,
                Duration.ofSeconds(5));
        run.publishPhase("smoke", "smoke " + (int) settings.rate() + " msg/s", "targeted+broadcast", settings.rate(),
                settings.duration(), mix, settings.drain());
        run.drain(settings.drain());

        List<String> failures = LedgerVerdict.failures(run, live, "per-user");
        failures.forEach(run::note);
        run.detail("smoke", failures.isEmpty() ? "no loss" : String.join("; ", failures));
        return failures.isEmpty();
    }
}
