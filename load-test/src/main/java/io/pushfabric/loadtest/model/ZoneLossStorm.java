package io.pushfabric.loadtest.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The clients of a lost zone coming back to the survivors, attempt by attempt. Each client notices the drop at a
 * uniform time in {@code [noticeFrom, noticeTo]}, waits a full-jitter backoff ({@code random(0, min(cap,
 * base x 2^n))}, docs/protocol.md) and tries a survivor the balancer picks at random among those that are not
 * full (a full connector answers {@code /readyz} with 503 and leaves the balancer at {@code maxConnections}); when
 * every survivor is full the attempt is refused. A survivor serves resumes one after another at
 * {@code resumesPerSecond} (the measured rate of one survivor, scaled by its cores). A client that waits longer than
 * {@code clientTimeout} gives up and retries with the next backoff; the survivor is assumed to spend nothing on
 * it (optimistic). Time runs in 10 ms steps.
 */
public final class ZoneLossStorm {
    private static final double STEP = 0.01;

    public record Settings(int clients, int survivors, long connectionsPerSurvivor, long maxConnections,
                           double resumesPerSecond, double noticeFrom, double noticeTo, double backoffBase,
                           double backoffCap, double clientTimeout, double horizon, long seed) {
        public Settings {
            if (clients < 1 || survivors < 1 || resumesPerSecond <= 0 || noticeTo < noticeFrom || backoffCap < backoffBase) {
                throw new IllegalArgumentException("bad storm settings: " + this);
            }
        }
    }

    /**
     * @param recovered       clients that resumed within the horizon
     * @param p50 p99 max     seconds from the loss until a client's resume completed
     * @param attempts        connection attempts in all (retries included)
     * @param timeouts        attempts given up by the client
     * @param refusedFull     attempts refused because every survivor was full
     * @param peakResumesPerSecond most resumes completed in one second, fleet-wide
     */
    public record Result(int recovered, double p50, double p99, double max, long attempts, long timeouts,
                         long refusedFull, long peakResumesPerSecond) {
    }

    private ZoneLossStorm() {
    }

    public static Result run(Settings s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        int steps = (int) Math.ceil(s.horizon() / STEP) + 1;
        int[][] due = new int[steps][];
        int[] dueCount = new int[steps];
        int[] failures = new int[s.clients()];
        double[] attemptAt = new double[s.clients()];
        for (int c = 0; c < s.clients(); c++) {
            double notice = s.noticeFrom() + random.nextDouble() * (s.noticeTo() - s.noticeFrom());
            schedule(due, dueCount, c, notice + random.nextDouble() * s.backoffBase(), attemptAt);
        }
        double[] freeAt = new double[s.survivors()];
        long[] held = new long[s.survivors()];
        Arrays.fill(held, s.connectionsPerSurvivor());
        int[] open = new int[s.survivors()];
        int openCount = 0;
        for (int n = 0; n < s.survivors(); n++) {
            if (held[n] < s.maxConnections()) {
                open[openCount++] = n;
            }
        }
        double[] done = new double[s.clients()];
        long[] perSecond = new long[(int) Math.ceil(s.horizon()) + 2];
        int recovered = 0;
        long attempts = 0;
        long timeouts = 0;
        long full = 0;
        for (int step = 0; step < steps; step++) {
            for (int i = 0; i < dueCount[step]; i++) {
                int client = due[step][i];
                double at = attemptAt[client];
                attempts++;
                double retryFrom;
                if (openCount == 0) {
                    full++;
                    retryFrom = at;
                } else {
                    int pick = random.nextInt(openCount);
                    int node = open[pick];
                    double finish = Math.max(at, freeAt[node]) + 1 / s.resumesPerSecond();
                    if (finish - at <= s.clientTimeout()) {
                        freeAt[node] = finish;
                        if (++held[node] >= s.maxConnections()) {
                            open[pick] = open[--openCount];
                        }
                        done[recovered++] = finish;
                        if (finish < s.horizon()) {
                            perSecond[(int) finish]++;
                        }
                        continue;
                    }
                    timeouts++;
                    retryFrom = at + s.clientTimeout();
                }
                int n = ++failures[client];
                double window = Math.min(s.backoffCap(), s.backoffBase() * Math.pow(2, Math.min(20, n)));
                schedule(due, dueCount, client, retryFrom + random.nextDouble() * window, attemptAt);
            }
            due[step] = null;
        }
        double[] times = Arrays.copyOf(done, recovered);
        Arrays.sort(times);
        long peak = Arrays.stream(perSecond).max().orElse(0);
        return new Result(recovered, quantile(times, 0.5), quantile(times, 0.99), recovered == 0 ? 0 : times[recovered - 1],
                attempts, timeouts, full, peak);
    }

    private static void schedule(int[][] due, int[] count, int client, double at, double[] attemptAt) {
        int step = (int) (at / STEP);
        if (step >= due.length) {
            return; // beyond the horizon: counted as not recovered
        }
        attemptAt[client] = at;
        if (due[step] == null) {
            due[step] = new int[16];
        } else if (count[step] == due[step].length) {
            due[step] = Arrays.copyOf(due[step], count[step] * 2);
        }
        due[step][count[step]++] = client;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
