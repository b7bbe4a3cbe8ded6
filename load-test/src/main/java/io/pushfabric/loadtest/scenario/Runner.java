package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.client.ClientFleet;
import io.pushfabric.loadtest.client.JdkTransport;
import io.pushfabric.loadtest.client.Tokens;
import io.pushfabric.loadtest.client.UndertowTransport;
import io.pushfabric.loadtest.client.WsTransport;
import io.pushfabric.loadtest.fabric.Fabric;
import io.pushfabric.loadtest.fabric.FabricSpec;
import io.pushfabric.loadtest.fabric.KafkaProbe;
import io.pushfabric.loadtest.fabric.OwnFabricSpec;
import io.pushfabric.loadtest.fabric.Versions;
import io.pushfabric.loadtest.measure.DeliveryLedger;
import io.pushfabric.loadtest.measure.GcLogs;
import io.pushfabric.loadtest.measure.LatencyBook;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.measure.MicroClock;
import io.pushfabric.loadtest.measure.Monitor;
import io.pushfabric.loadtest.measure.Phases;
import io.pushfabric.loadtest.measure.ProcFs;
import io.pushfabric.loadtest.measure.TimelinePoint;
import io.pushfabric.loadtest.measure.Watched;
import io.pushfabric.loadtest.publish.ProducerSpec;
import io.pushfabric.loadtest.report.ProcessSummary;
import io.pushfabric.loadtest.report.ReportWriter;
import io.pushfabric.loadtest.report.RunReport;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario from start to report: opens the fabric, builds the clients and the books, starts the
 * monitor, runs the scenario, closes everything in reverse order (also on Ctrl-C), and writes
 * {@code result.json} and {@code report.html} into {@code <out>/<scenario>-<timestamp>/}.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The report, and where it was written. */
    public record Outcome(RunReport report, Path runDir, Path html) {
    }

    private Runner() {
    }

    public static Outcome execute(Scenario scenario, FabricSpec fabricSpec, ClientSpec clients, Path outDir,
                                  String commandLine, PrintStream out) throws Exception {
        return execute(scenario, fabricSpec, clients, ProducerSpec.DEFAULT, outDir, commandLine, out);
    }

    /** @param producers how the load generator's publisher produces to Kafka */
    public static Outcome execute(Scenario scenario, FabricSpec fabricSpec, ClientSpec clients, ProducerSpec producers,
                                  Path outDir, String commandLine, PrintStream out) throws Exception {
        String runId = scenario.name() + "-" + LocalDateTime.now().format(STAMP);
        Path runDir = outDir.resolve(runId).toAbsolutePath();
        String startedAt = ZonedDateTime.now().toString();
        long t0 = System.nanoTime();
        FabricSpec spec = fabricSpec instanceof OwnFabricSpec own ? own.withConnectors(scenario.connectors(own.connectors()))
                : fabricSpec;
        Map<String, String> environment = environment(clients);
        environment.put("publisher", producers.describe());
        out.println("pushfabric load test: " + scenario.name() + " -> " + runDir);
        Fabric fabric = FabricSpec.open(spec, runDir);
        Thread hook = new Thread(fabric::close, "lt-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RunReport report;
        try {
            report = run(scenario, fabric, spec, clients, producers, runId, runDir, startedAt, t0, commandLine,
                    environment, out);
        } finally {
            fabric.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                LOG.debug("Shutting down already: {}", e.toString());
            }
        }
        Path html = new ReportWriter().write(report, runDir);
        out.println(summary(report));
        out.println("Report: " + html);
        out.println("Result: " + runDir.resolve(ReportWriter.JSON));
        return new Outcome(report, runDir, html);
    }

    private static RunReport run(Scenario scenario, Fabric fabric, FabricSpec spec, ClientSpec clients,
                                 ProducerSpec producers, String runId, Path runDir, String startedAt, long t0,
                                 String commandLine, Map<String, String> environment, PrintStream out) throws Exception {
        MicroClock clock = new MicroClock();
        DeliveryLedger ledger = new DeliveryLedger(clients.clients(), scenario.maxTargeted(), scenario.maxBroadcasts(),
                scenario.channels(clients.clients()));
        LatencyBook latency = new LatencyBook();
        Phases phases = new Phases();
        String prefix = "lt" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36) + "-u";
        ClientFleet.Settings settings = new ClientFleet.Settings(clients.clients(), prefix, fabric.webSocketUrls(),
                clients.sources(), clients.welcomeTimeout(), clients.reconnect(),
                i -> scenario.firstUrl(i, fabric.webSocketUrls().size()));
        List<Watched> watched = new ArrayList<>(fabric.processes());
        boolean kafkaHere = spec instanceof OwnFabricSpec own && own.kafkaInProcess();
        watched.add(new Watched(kafkaHere ? "loadgen+kafka" : "loadgen", ProcessHandle.current().pid()));
        try (WsTransport transport = clients.transport().equals("jdk") ? new JdkTransport(clients.ioThreads())
                : new UndertowTransport(clients.ioThreads());
             ClientFleet fleet = new ClientFleet(settings, transport,
                     new Tokens(fabric.jwtSecret(), fabric.jwtIssuer(), fabric.jwtAudience()), ledger, latency, clock);
             StageSampler stages = new StageSampler(new KafkaProbe(fabric.bootstrap(), fabric.requestsTopic(),
                     fabric.dispatcherGroup(), fabric.nodeTopicPrefix()));
             Monitor monitor = new Monitor(watched, () -> new Monitor.Counts(ledger.published(), ledger.delivered(),
                     fleet.live()), stages::latest, latency, out)) {
            if (scenario.probesKafka()) {
                stages.start();
            }
            monitor.start();
            RunContext ctx = new RunContext(fabric, fleet, clients, producers, ledger, latency, phases, monitor, clock, out);
            if (kafkaHere) {
                ctx.note("Kafka runs inside the load generator's JVM: its CPU is not in the fabric CPU per message");
            }
            GcLogs.Pauses ownGcBefore = GcLogs.own();
            boolean passed;
            try {
                passed = scenario.run(ctx);
            } finally {
                ctx.closePublisher();
            }
            Map<String, GcLogs.Pauses> gc = GcLogs.read(runDir.resolve("logs"));
            GcLogs.Pauses ownGc = GcLogs.own();
            gc.put("loadgen (collector MXBeans; time is not all pause)", new GcLogs.Pauses(
                    ownGc.count() - ownGcBefore.count(), ownGc.totalMs() - ownGcBefore.totalMs(), -1));
            ctx.detail("gcPauses", gc);
            monitor.phase("close", "closing clients");
            fleet.closeAll(Duration.ofSeconds(10));
            Histogram[] connect = ctx.connectTotals();
            RunReport.Totals totals = new RunReport.Totals(ledger.published(), ledger.publishFailures(),
                    ledger.delivered(), ledger.lost(-1), ledger.duplicates(), ledger.outOfOrder(), ledger.misrouted(),
                    ledger.unknown());
            List<TimelinePoint> timeline = monitor.timeline();
            double others = timeline.stream().mapToDouble(TimelinePoint::otherCpu).average().orElse(0);
            double machine = timeline.stream().mapToDouble(TimelinePoint::machineCpu).average().orElse(0);
            ctx.note(String.format("machine CPU averaged %.0f%% of %d00%%, of which %.0f%% was outside the measured processes"
                    + " (other work on this machine)", machine, Runtime.getRuntime().availableProcessors(), others));
            RunReport.Clients clientInfo = new RunReport.Clients(clients.clients(), transport.name(),
                    clients.sources().stream().map(InetAddress::getHostAddress).toList(), clients.concurrency(),
                    LatencySummary.of(connect[0]), LatencySummary.of(connect[1]), fleet.stats());
            return new RunReport(scenario.name(), runId, startedAt, (System.nanoTime() - t0) / 1e9, commandLine,
                    environment, fabric.describe(), clientInfo, ctx.phaseResults(), totals, processSummaries(watched,
                    timeline), ctx.details(), ctx.notes(), passed, timeline);
        }
    }

    private static List<ProcessSummary> processSummaries(List<Watched> watched, List<TimelinePoint> timeline) {
        List<ProcessSummary> out = new ArrayList<>();
        for (Watched w : watched) {
            double sum = 0;
            double max = 0;
            double rssMax = 0;
            double rssStart = -1;
            double rssEnd = 0;
            int n = 0;
            for (TimelinePoint p : timeline) {
                TimelinePoint.Proc proc = p.processes().get(w.name());
                if (proc == null) {
                    continue;
                }
                sum += proc.cpu();
                max = Math.max(max, proc.cpu());
                rssMax = Math.max(rssMax, proc.rssMb());
                if (rssStart < 0) {
                    rssStart = proc.rssMb();
                }
                rssEnd = proc.rssMb();
                n++;
            }
            out.add(new ProcessSummary(w.name(), w.pid(), n == 0 ? 0 : RunContext.round(sum / n), max,
                    Math.max(0, rssStart), rssMax, rssEnd));
        }
        return out;
    }

    private static Map<String, String> environment(ClientSpec clients) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cpu", ProcFs.firstLine("cpuinfo", "model name").map(l -> l.replaceAll(".*:\\s*", "")).orElse("?")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        env.put("memory", ProcFs.firstLine("meminfo", "MemTotal").map(l -> l.replaceAll("MemTotal:\\s*", "")).orElse("?"));
        env.put("load average at start", ProcFs.firstLine("loadavg", "").orElse("?"));
        env.put("open files limit (load generator)", Long.toString(ProcFs.openFilesLimit(ProcessHandle.current().pid())));
        env.put("pushfabric", Versions.get("pushfabric"));
        env.put("kafka", Versions.get("kafka"));
        env.put("undertow", Versions.get("undertow"));
        env.put("redisson", Versions.get("redisson"));
        env.put("jackson", Versions.get("jackson"));
        env.put("hdrhistogram", Versions.get("hdrhistogram"));
        env.put("load generator JVM", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        env.put("WebSocket client", clients.transport() + ", " + clients.ioThreads() + " I/O threads");
        return env;
    }

    /** Details for the console: latency summaries as one line, lists one item per line. */
    private static String brief(Object v) {
        if (v instanceof LatencySummary l) {
            return l.brief();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(brief(x)));
            return sb.append('}').toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            list.forEach(x -> sb.append("\n    ").append(brief(x)));
            return sb.toString();
        }
        if (v != null && v.getClass().isRecord()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                try {
                    fields.put(c.getName(), c.getAccessor().invoke(v));
                } catch (ReflectiveOperationException e) {
                    fields.put(c.getName(), "?");
                }
            }
            return brief(fields);
        }
        return String.valueOf(v);
    }

    private static String summary(RunReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n== %s: %s ==%n", r.scenario(), r.passed() ? "PASS" : "FAIL"));
        RunReport.Totals t = r.totals();
        sb.append(String.format("published %d, delivered %d, lost %d, duplicates %d, out of order %d, misrouted %d%n",
                t.published(), t.delivered(), t.lost(), t.duplicates(), t.outOfOrder(), t.misrouted()));
        r.phases().forEach(p -> {
            sb.append(String.format("  %-22s target %8.0f/s sent %8.0f/s delivered %9.0f/s (%.3f%%) %s%n",
                    p.name(), p.targetRate(), p.sentPerSec(), p.deliveredPerSec(), 100 * p.deliveredRatio(),
                    p.latency().brief()));
            if (p.cpu() != null) {
                sb.append(String.format("  %-22s cpu %s%n", "", p.cpu().brief(p.kind().equals("targeted") ? "msg" : "copy")));
            }
            if (p.spread() != null && p.spread().count() > 0) {
                sb.append(String.format("  %-22s first-to-last copy spread %s%n", "", p.spread().brief()));
            }
            if (p.recordsPerRequest() > 0) {
                sb.append(String.format("  %-22s publisher %.2f records per Kafka request%n", "", p.recordsPerRequest()));
            }
        });
        r.details().forEach((k, v) -> sb.append("  ").append(k).append(": ").append(brief(v)).append('\n'));
        r.notes().forEach(n -> sb.append("  note: ").append(n).append('\n'));
        return sb.toString();
    }
}
