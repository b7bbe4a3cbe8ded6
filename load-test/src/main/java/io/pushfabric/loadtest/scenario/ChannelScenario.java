package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.measure.ChannelBook;
import io.pushfabric.loadtest.measure.LatencySummary;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Channels: every client joins {@code perClient} of {@code channels} channels at connect (the token's
 * {@code channels} claim), and an open-loop publisher sends messages to random channels. Latency is per
 * subscriber copy (publish to receipt); the spread is first to last copy of each message. Passes when every
 * subscription was confirmed and every subscriber got every message of its channels once, in channel order.
 *
 * <p>Clients that drop and reconnect join their channels again from then on (they resume no channel
 * position), so a drop during the run shows as loss.
 */
public final class ChannelScenario implements Scenario {
    private static final long POLL_NANOS = 20_000_000;

    /**
     * @param channels  how many channels
     * @param perClient channels each client joins
     * @param rate      channel messages per second in the measured phase
     */
    public record Settings(int channels, int perClient, double rate, Duration duration, double warmupRate,
                           Duration warmup, Duration connectTimeout, Duration drain) {
        public Settings {
            if (channels < 1 || perClient < 1 || perClient > channels) {
                throw new IllegalArgumentException("need 1 <= --per-client (" + perClient + ") <= --channels ("
                        + channels + ")");
            }
        }
    }

    private final Settings settings;

    public ChannelScenario(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "channels";
    }

    @Override
    public int maxTargeted() {
        return 0;
    }

    @Override
    public int maxBroadcasts() {
        return 0;
    }

    @Override
    public ChannelBook channels(int clients) {
        int max = (int) (settings.rate() * settings.duration().toSeconds()
                + settings.warmupRate() * settings.warmup().toSeconds()) + 1000;
        return new ChannelBook(clients, settings.channels(), settings.perClient(), max);
    }

    @Override
    public boolean run(RunContext run) throws Exception {
        int live = run.connectAll(settings.connectTimeout());
        if (live == 0) {
            run.note("no client connected");
            return false;
        }
        long wanted = (long) live * settings.perClient();
        long confirmed = awaitSubscriptions(run, wanted, settings.connectTimeout());
        Map<String, Object> subscriptions = new LinkedHashMap<>();
        subscriptions.put("wanted", wanted);
        subscriptions.put("confirmed", confirmed);
        subscriptions.put("subscribersPerChannel", RunContext.round((double) wanted / settings.channels()));
        run.detail("subscriptions", subscriptions);
        run.publishChannelPhase("warmup", "warm-up", settings.warmupRate(), settings.warmup(), Duration.ofSeconds(5));
        int measured = run.publishChannelPhase("channels", "channels " + (int) settings.rate() + " msg/s",
                settings.rate(), settings.duration(), settings.drain());
        run.drain(settings.drain());

        LatencySummary spread = LatencySummary.of(run.ledger().channelSpread(measured));
        Map<String, Object> channels = new LinkedHashMap<>();
        channels.put("channels", settings.channels());
        channels.put("perClient", settings.perClient());
        channels.put("spreadFirstToLast", spread);
        run.detail("channels", channels);
        run.out().println("first-to-last copy spread: " + spread.brief());

        List<String> failures = LedgerVerdict.failures(run, live, "per-channel");
        if (confirmed < wanted) {
            failures.add((wanted - confirmed) + " of " + wanted + " subscriptions never confirmed");
        }
        failures.forEach(run::note);
        run.detail("verdict", failures.isEmpty() ? "no loss" : String.join("; ", failures));
        return failures.isEmpty();
    }

    /** Waits until {@code wanted} subscriptions are confirmed or {@code limit} passes. @return how many were */
    private static long awaitSubscriptions(RunContext run, long wanted, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (run.fleet().subscriptions() < wanted && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        return run.fleet().subscriptions();
    }
}
