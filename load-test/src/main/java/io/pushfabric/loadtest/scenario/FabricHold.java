package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.fabric.Fabric;
import io.pushfabric.loadtest.measure.HeapProbe;
import io.pushfabric.loadtest.measure.ProcFs;
import io.pushfabric.loadtest.measure.Watched;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Holds a fabric for load generators started apart, when one process cannot hold the connections (each
 * connection is a file descriptor, and a process may have 20,000): writes the arguments they need
 * ({@code --connect ... --secret ...}) to a file, measures each connector's baseline, waits until the
 * connectors together hold the expected sessions (or stop gaining), holds them, and measures resident memory,
 * live heap and open files per connector. The caller stops the fabric.
 */
public final class FabricHold {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String SESSIONS = "pushfabric_connector_sessions";

    /**
     * @param expect      sessions to wait for, over all connectors
     * @param hold        how long to hold them before measuring
     * @param maxWait     how long to wait for them at most
     * @param stalled     stop waiting when the count has not grown for this long
     */
    public record Settings(int expect, Duration hold, Duration maxWait, Duration stalled, Path argsFile) {
    }

    /** One connector at the end: memory in MiB, per-session figures in KiB (growth over its baseline). */
    public record ConnectorLine(String name, long sessions, double rssMb, double rssPerSessionKb, double liveHeapMb,
                                double heapPerSessionKb, int openFiles) {
    }

    private final Settings settings;
    private final PrintStream out;

    public FabricHold(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public List<ConnectorLine> run(Fabric fabric) throws IOException, InterruptedException {
        List<Watched> connectors = fabric.connectors();
        List<URI> metrics = fabric.webSocketUrls().stream()
                .map(u -> URI.create("http://" + u.getHost() + ":" + u.getPort() + "/metrics")).toList();
        long[] rssBase = new long[connectors.size()];
        long[] heapBase = new long[connectors.size()];
        for (int i = 0; i < connectors.size(); i++) {
            rssBase[i] = rssKb(connectors.get(i));
            heapBase[i] = HeapProbe.liveHeapKb(connectors.get(i).pid()).orElse(-1);
        }
        String args = "--connect " + fabric.webSocketUrls().stream().map(URI::toString).collect(Collectors.joining(","))
                + " --secret " + fabric.jwtSecret() + " --bootstrap " + fabric.bootstrap();
        Files.writeString(settings.argsFile(), args + "\n");
        out.printf("HOLD ready: %d connectors; load generators take their arguments from %s%n", connectors.size(),
                settings.argsFile());

        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        long best = -1;
        long grewAt = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - grewAt < settings.stalled().toNanos()) {
            long total = 0;
            for (URI m : metrics) {
                total += Math.max(0, sessions(m));
            }
            if (total > best) {
                best = total;
                grewAt = System.nanoTime();
            }
            out.printf("HOLD sessions %d of %d%n", total, settings.expect());
            if (total >= settings.expect()) {
                break;
            }
            Thread.sleep(2_000); // polling the connectors' metrics while load generators connect
        }
        out.printf("HOLD holding %d sessions for %d s%n", best, settings.hold().toSeconds());
        Thread.sleep(settings.hold().toMillis()); // holding the connections idle is the measurement

        List<ConnectorLine> lines = new ArrayList<>();
        for (int i = 0; i < connectors.size(); i++) {
            Watched c = connectors.get(i);
            long sessions = sessions(metrics.get(i));
            long n = Math.max(1, sessions);
            long rss = rssKb(c);
            OptionalLong heap = HeapProbe.liveHeapKb(c.pid());
            double heapMb = heap.isPresent() ? round(heap.getAsLong() / 1024.0) : -1;
            double heapPer = heap.isPresent() && heapBase[i] >= 0 ? round((heap.getAsLong() - heapBase[i]) / (double) n) : -1;
            lines.add(new ConnectorLine(c.name(), sessions, round(rss / 1024.0), round((rss - rssBase[i]) / (double) n),
                    heapMb, heapPer, ProcFs.openFiles(c.pid())));
        }
        print(lines);
        return lines;
    }

    private void print(List<ConnectorLine> lines) {
        out.println("| connector | sessions | RSS MiB | RSS / session KiB | live heap MiB | heap / session KiB | open files |");
        out.println("|---|---|---|---|---|---|---|");
        long sessions = 0;
        double rss = 0;
        double rssGrowth = 0;
        double heapGrowth = 0;
        for (ConnectorLine l : lines) {
            out.printf("| %s | %d | %.0f | %.1f | %.0f | %.1f | %d |%n", l.name(), l.sessions(), l.rssMb(),
                    l.rssPerSessionKb(), l.liveHeapMb(), l.heapPerSessionKb(), l.openFiles());
            sessions += l.sessions();
            rss += l.rssMb();
            rssGrowth += l.rssPerSessionKb() * l.sessions();
            heapGrowth += l.heapPerSessionKb() * l.sessions();
        }
        long n = Math.max(1, sessions);
        out.printf("| all | %d | %.0f | %.1f | | %.1f | |%n", sessions, rss, rssGrowth / n, heapGrowth / n);
    }

    private static long rssKb(Watched c) {
        return ProcFs.process(c.pid()).map(ProcFs.ProcessSample::rssKb).orElse(-1L);
    }

    /** The connector's open sessions, from its Prometheus metrics; -1 when it does not answer. */
    static long sessions(URI metrics) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return sessionsIn(r.body());
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static long sessionsIn(String prometheusText) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(SESSIONS + " ") || line.startsWith(SESSIONS + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
