package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.measure.HeapProbe;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.measure.ProcFs;
import io.pushfabric.loadtest.measure.Watched;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * How many idle connections the connectors hold and what each costs. Connects up to each level in turn
 * (first connects only, no retries: a refused connection counts), spread round robin over the connectors, holds
 * them idle (server pings keep flowing), then measures the connectors' resident memory and live heap after a full
 * GC. Per-connection figures are the growth over the baseline before any client connected, summed over the
 * connectors, divided by the connections held. Several load generators can share one fabric ({@code --connect},
 * each with its own {@code --source-addresses}); then measure it with {@code load-test hold}, which sees them all.
 */
public final class IdleCapacity implements Scenario {
    /**
     * @param levels     connection counts to reach, rising
     * @param hold       how long each level is held before measuring
     * @param heapProbe  also measure live heap after a full GC (jcmd GC.run on the connector)
     */
    public record Settings(List<Integer> levels, Duration hold, boolean heapProbe, Duration connectTimeout) {
        public Settings {
            levels = List.copyOf(levels);
        }
    }

    /**
     * One level. Memory in MiB, summed over the connectors; per-connection figures in KiB; threads and open files
     * of the busiest connector; the connect rate counts this level's new connections.
     */
    public record Level(int target, int connected, long failed, double connectSeconds, double connectsPerSec,
                        LatencySummary handshake, LatencySummary welcome, double connectorRssMb,
                        double rssPerConnectionKb, double connectorLiveHeapMb, double heapPerConnectionKb,
                        int connectorThreads, int connectorOpenFiles, double loadgenRssMb,
                        double loadgenHeapPerConnectionKb, double kernelTcpKbPerConnection) {
    }

    private final Settings settings;

    public IdleCapacity(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "idle";
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
    public boolean run(RunContext run) throws Exception {
        List<Watched> connectors = run.fabric().connectors();
        if (connectors.isEmpty()) {
            run.note("no connector pid known (use --monitor connector-0=<pid>); connector memory is not measured");
        }
        run.beginPhase("baseline", "baseline");
        long limit = connectors.isEmpty() ? -1 : ProcFs.openFilesLimit(connectors.get(0).pid());
        long ownLimit = ProcFs.openFilesLimit(ProcessHandle.current().pid());
        run.detail("openFilesLimit", Map.of("connector", limit, "loadGenerator", ownLimit));
        int top = settings.levels().stream().mapToInt(Integer::intValue).max().orElse(0);
        int perConnector = (top + Math.max(1, connectors.size()) - 1) / Math.max(1, connectors.size());
        if ((limit > 0 && perConnector > limit) || top > ownLimit) {
            run.note(String.format("the highest level (%d) is above the open-files limit (connector %d, load generator %d):"
                    + " each connection is a file descriptor on both sides, so connects will fail past it; use more connectors"
                    + " (--connectors) and several load generators (--connect)", top, limit, ownLimit));
        }
        Baseline base = baseline(connectors);
        run.detail("baseline", Map.of("connectorRssMb", mb(base.rssKb), "connectorLiveHeapMb", mb(base.heapKb),
                "loadgenHeapMb", mb(base.loadgenHeapKb), "kernelTcpKb", base.tcpKb));

        List<Level> levels = new ArrayList<>();
        int reached = 0;
        for (int target : settings.levels()) {
            if (target > run.fleet().size()) {
                run.note("level " + target + " is above --clients " + run.fleet().size() + "; stopping there");
                break;
            }
            run.beginPhase("idle " + target, "connecting to " + target);
            run.takeConnectTimes();
            int before = run.fleet().live();
            long t0 = System.nanoTime();
            run.fleet().connect(reached, target, run.clients().concurrency(), false);
            run.fleet().awaitLive(target, settings.connectTimeout(), true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Histogram[] times = run.takeConnectTimes();
            int connected = run.fleet().live();
            long failed = target - connected;
            run.monitor().phase("idle " + target, "holding " + connected + " idle");
            Thread.sleep(settings.hold().toMillis()); // holding the connections idle is the measurement
            levels.add(measure(run, connectors, base, target, connected, connected - before, failed, seconds, times));
            reached = target;
            if (connected < 0.99 * target) {
                run.note(String.format("level %d: only %d connected (%d failed); capacity reached", target, connected, failed));
                break;
            }
        }
        run.detail("levels", levels);
        if (!levels.isEmpty()) {
            Level last = levels.get(levels.size() - 1);
            Map<String, Object> perConnection = new LinkedHashMap<>();
            perConnection.put("connections", last.connected());
            perConnection.put("connectorRssKb", last.rssPerConnectionKb());
            perConnection.put("connectorLiveHeapKb", last.heapPerConnectionKb());
            perConnection.put("kernelTcpKb (both ends, not in RSS)", last.kernelTcpKbPerConnection());
            run.detail("memoryPerConnection", perConnection);
        }
        return !levels.isEmpty();
    }

    private record Baseline(long rssKb, long heapKb, long loadgenHeapKb, long tcpKb) {
    }

    private Baseline baseline(List<Watched> connectors) {
        return new Baseline(rssKb(connectors), settings.heapProbe() ? liveHeapKb(connectors) : -1,
                HeapProbe.ownLiveHeapKb(), ProcFs.tcpKernelMemoryKb());
    }

    /** Resident memory of all connectors together; -1 when unknown. */
    private static long rssKb(List<Watched> connectors) {
        long sum = 0;
        for (Watched c : connectors) {
            long rss = ProcFs.process(c.pid()).map(ProcFs.ProcessSample::rssKb).orElse(-1L);
            if (rss < 0) {
                return -1;
            }
            sum += rss;
        }
        return connectors.isEmpty() ? -1 : sum;
    }

    /** Live heap of all connectors together after a full GC of each; -1 when unknown. */
    private static long liveHeapKb(List<Watched> connectors) {
        long sum = 0;
        for (Watched c : connectors) {
            OptionalLong heap = HeapProbe.liveHeapKb(c.pid());
            if (heap.isEmpty()) {
                return -1;
            }
            sum += heap.getAsLong();
        }
        return connectors.isEmpty() ? -1 : sum;
    }

    private Level measure(RunContext run, List<Watched> connectors, Baseline base, int target, int connected, int added,
                          long failed, double seconds, Histogram[] times) {
        double rssMb = -1;
        double rssPer = -1;
        double heapMb = -1;
        double heapPer = -1;
        int threads = -1;
        int files = -1;
        int n = Math.max(1, connected);
        long rss = rssKb(connectors);
        if (rss >= 0 && base.rssKb >= 0) {
            rssMb = mb(rss);
            rssPer = round((rss - base.rssKb) / (double) n);
        }
        for (Watched c : connectors) {
            threads = Math.max(threads, ProcFs.process(c.pid()).map(ProcFs.ProcessSample::threads).orElse(-1));
            files = Math.max(files, ProcFs.openFiles(c.pid()));
        }
        if (settings.heapProbe() && base.heapKb >= 0) {
            long heap = liveHeapKb(connectors);
            if (heap >= 0) {
                heapMb = mb(heap);
                heapPer = round((heap - base.heapKb) / (double) n);
            }
        }
        long own = ProcessHandle.current().pid();
        double loadgenRss = ProcFs.process(own).map(p -> mb(p.rssKb())).orElse(-1.0);
        double loadgenHeapPer = round((HeapProbe.ownLiveHeapKb() - base.loadgenHeapKb) / (double) n);
        long tcp = ProcFs.tcpKernelMemoryKb();
        double tcpPer = tcp < 0 || base.tcpKb < 0 ? -1 : round((tcp - base.tcpKb) / (double) n);
        Level level = new Level(target, connected, failed, round(seconds), round(added / Math.max(1e-3, seconds)),
                LatencySummary.of(times[0]), LatencySummary.of(times[1]), rssMb, rssPer, heapMb, heapPer, threads, files,
                loadgenRss, loadgenHeapPer, tcpPer);
        run.out().printf("LEVEL %d: connected %d (failed %d) in %.1f s; connector RSS %.0f MiB (%.1f KiB/conn), live heap %.0f"
                        + " MiB (%.1f KiB/conn); load generator heap %.1f KiB/conn%n", target, connected, failed, seconds,
                rssMb, rssPer, heapMb, heapPer, loadgenHeapPer);
        return level;
    }

    private static double mb(long kb) {
        return kb < 0 ? -1 : round(kb / 1024.0);
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
