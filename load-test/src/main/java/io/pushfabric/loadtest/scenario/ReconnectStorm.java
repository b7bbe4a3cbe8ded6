package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.client.ClientFleet;
import io.pushfabric.loadtest.client.VirtualClient;
import io.pushfabric.loadtest.measure.LatencyBook;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.publish.RatedPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Every client on one connector, targeted messages flowing, then that connector dies by SIGKILL. The
 * clients come back (full-jitter backoff) to the other connector with their cursors and must get every
 * message they missed. Measures how long until every client is back (welcomed) and recovered (its replay
 * fully received), and counts losses, which must be zero.
 */
public final class ReconnectStorm implements Scenario {
    /**
     * @param rate        targeted messages per second, before, during and after the storm
     * @param warmup      warm-up before anything is judged
     * @param before      steady phase measured before the kill
     * @param killAfter   seconds into the storm phase when the victim is killed
     * @param publishFor  how long the storm phase publishes (the kill included)
     * @param recoveryLimit how long after the kill the clients may take to recover before the run gives up
     * @param victimClients the first this many clients start on the victim; the rest on the other connectors,
     *                      which keeps those warm and busy as in a real fleet
     * @param rehearsalRate during the warm-up, the other connectors' clients drop and resume on their own connector
     *                      this many times a second, one after the other ({@link ResumeRehearsal}); 0: none
     */
    public record Settings(double rate, Duration warmup, Duration before, Duration killAfter, Duration publishFor,
                           Duration recoveryLimit, Duration connectTimeout, int victimClients, double rehearsalRate) {
    }

    private final Settings settings;

    public ReconnectStorm(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "storm";
    }

    @Override
    public int connectors(int asked) {
        return Math.max(2, asked);
    }

    /** The victim's clients start on connector 0, the survivors' clients on the others. */
    @Override
    public int firstUrl(int client, int urls) {
        return client < settings.victimClients() ? 0 : 1 + client % Math.max(1, urls - 1);
    }

    /** 10,000 clients drop at once here; 32 selectors keep the load generator's own close work short. */
    @Override
    public int defaultIoThreads() {
        return 32;
    }

    @Override
    public int maxTargeted() {
        long seconds = settings.warmup().toSeconds() + settings.before().toSeconds() + settings.publishFor().toSeconds();
        return (int) (settings.rate() * seconds * 1.05) + 1000;
    }

    @Override
    public int maxBroadcasts() {
        return 0;
    }

    @Override
    public boolean run(RunContext run) throws Exception {
        ClientFleet fleet = run.fleet();
        int live = run.connectAll(settings.connectTimeout());
        if (live == 0) {
            run.note("no client connected");
            return false;
        }
        int[] audience = run.audience();
        int[] victims = java.util.Arrays.stream(audience).filter(i -> i < settings.victimClients()).toArray();
        int[] others = java.util.Arrays.stream(audience).filter(i -> i >= settings.victimClients()).toArray();
        RatedPublisher.Mix mix = RatedPublisher.Mix.targeted(audience);
        ResumeRehearsal rehearsal = ResumeRehearsal.start(fleet, others, settings.rehearsalRate());
        run.publishPhase("warmup", "warm-up", "targeted", settings.rate(), settings.warmup(), mix, Duration.ofSeconds(10));
        long rehearsed = rehearsal.stop(settings.connectTimeout());
        run.publishPhase("before", "steady before the kill", "targeted", settings.rate(), settings.before(), mix,
                Duration.ofSeconds(10));

        int storm = run.beginPhase("storm", "storm: publishing, kill in " + settings.killAfter().toSeconds() + " s");
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "lt-storm-publisher"));
        long publishStart = System.nanoTime();
        Future<Long> publishing = executor.submit(() -> run.publisher().run(storm, settings.rate(),
                settings.publishFor(), mix, i -> fleet.client(i).user()));
        Thread.sleep(settings.killAfter().toMillis()); // the kill comes at a fixed point of the phase
        String victim = run.fabric().connectors().isEmpty() ? "connector 0" : run.fabric().connectors().get(0).toString();
        run.takeConnectTimes();
        Recorder stayed = fleet.watch(i -> i >= settings.victimClients());
        long killNanos = System.nanoTime();
        run.fabric().killConnector(0);
        run.monitor().phase("storm", "storm: victim killed, clients coming back");

        long deadline = killNanos + settings.recoveryLimit().toNanos();
        long allBack = -1;
        long allRecovered = -1;
        while (System.nanoTime() < deadline) {
            int back = 0;
            int recovered = 0;
            int failed = 0;
            for (int i : victims) {
                VirtualClient.Times t = fleet.client(i).times();
                if (t.welcomeNanos() > killNanos && fleet.client(i).isLive()) {
                    back++;
                    if (!t.recovered()) {
                        failed++;
                    } else if (t.recoveredNanos() > killNanos) {
                        recovered++;
                    }
                }
            }
            if (allBack < 0 && back == victims.length) {
                allBack = System.nanoTime();
            }
            if (recovered == victims.length) {
                allRecovered = System.nanoTime();
                break;
            }
            if (recovered + failed == victims.length) {
                break; // everyone is back; some were told recovered:false, which is a failure, not a wait
            }
            Thread.sleep(50);
        }
        Histogram[] reconnectTimes = run.takeConnectTimes();
        Histogram toStayed = stayed.getIntervalHistogram();
        long published = publishing.get();
        executor.shutdown();
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        run.publisher().flush();
        run.recordPhase(storm, "targeted", settings.rate(), publishSeconds, Duration.ofSeconds(30));
        run.drain(Duration.ofSeconds(30));

        Histogram detected = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
        Histogram afterDrop = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
        Histogram attemptAfterDrop = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
        Histogram reconnect = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
        Histogram recovery = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
        int dropped = 0;
        for (int i : victims) {
            VirtualClient.Times t = fleet.client(i).times();
            if (t.dropNanos() > killNanos || t.welcomeNanos() > killNanos) {
                dropped++;
            }
            long drop = t.firstDropAfter(killNanos);
            if (drop > 0) {
                detected.recordValue(Math.min(LatencyBook.HIGHEST_MICROS, (drop - killNanos) / 1_000));
                if (t.welcomeNanos() > drop) {
                    afterDrop.recordValue(Math.min(LatencyBook.HIGHEST_MICROS, (t.welcomeNanos() - drop) / 1_000));
                }
                if (t.firstAttemptAfterDropNanos() >= drop) {
                    attemptAfterDrop.recordValue(Math.min(LatencyBook.HIGHEST_MICROS,
                            (t.firstAttemptAfterDropNanos() - drop) / 1_000));
                }
            }
            if (t.welcomeNanos() > killNanos) {
                reconnect.recordValue(Math.min(LatencyBook.HIGHEST_MICROS, (t.welcomeNanos() - killNanos) / 1_000));
            }
            if (t.recovered() && t.recoveredNanos() > killNanos) {
                recovery.recordValue(Math.min(LatencyBook.HIGHEST_MICROS, (t.recoveredNanos() - killNanos) / 1_000));
            }
        }
        int othersDropped = 0;
        for (int i : others) {
            if (fleet.client(i).times().firstDropAfter(killNanos) > 0) {
                othersDropped++;
            }
        }
        ClientFleet.Stats stats = fleet.stats();
        long lost = run.ledger().lost(-1);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("victim", victim);
        result.put("clientsOnVictim", victims.length);
        result.put("clientsOnSurvivors", audience.length - victims.length);
        result.put("clientsDropped", dropped);
        result.put("clientsOfOthersDropped", othersDropped);
        result.put("rehearsalResumes", rehearsed);
        result.put("allReconnectedSeconds", allBack < 0 ? "not within " + settings.recoveryLimit().toSeconds() + " s"
                : RunContext.round((allBack - killNanos) / 1e9));
        result.put("allRecoveredSeconds", allRecovered < 0 ? "not within " + settings.recoveryLimit().toSeconds() + " s"
                : RunContext.round((allRecovered - killNanos) / 1e9));
        result.put("dropNoticedAfterKill (load generator)", LatencySummary.of(detected));
        result.put("firstReconnectAttemptAfterDrop (backoff + load generator)", LatencySummary.of(attemptAfterDrop));
        result.put("welcomeAfterDropNoticed", LatencySummary.of(afterDrop));
        result.put("reconnectHandshake (TCP + upgrade)", LatencySummary.of(reconnectTimes[0]));
        result.put("reconnectUpgradeToWelcome (connect start to welcome)", LatencySummary.of(reconnectTimes[1]));
        result.put("reconnectAfterKill", LatencySummary.of(reconnect));
        result.put("recoveredAfterKill", LatencySummary.of(recovery));
        result.put("deliveredToClientsThatStayed (kill to recovery)", LatencySummary.of(toStayed));
        result.put("resumesNotRecovered", stats.notRecovered());
        result.put("notRecoveredReasons", stats.notRecoveredReasons());
        result.put("replayedMessages", stats.replayed());
        result.put("publishedDuringStorm", published);
        result.put("lost", lost);
        result.put("duplicates", run.ledger().duplicates());
        run.detail("storm", result);
        boolean passed = lost == 0 && allRecovered >= 0 && stats.notRecovered() == 0;
        if (!passed) {
            run.note("storm failed: lost " + lost + ", recovered " + (allRecovered >= 0) + ", resumes not recovered "
                    + stats.notRecovered());
        }
        return passed;
    }
}
