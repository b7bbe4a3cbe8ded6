package io.pushfabric.loadtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.measure.TimelinePoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** One self-contained HTML page per run: tables and inline SVG charts, nothing fetched from anywhere. */
final class HtmlReport {
    private static final int W = 900;
    private static final int H = 300;

    private final ObjectMapper mapper;

    HtmlReport(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String render(RunReport r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pushfabric load test: ")
                .append(esc(r.scenario())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;max-width:1000px;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0 16px;display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("font-size:13px;text-align:right}th{background:#f4f4f4}td.k,th.k{text-align:left}")
                .append(".pass{color:#fff;background:#2a7a2a;padding:2px 8px}.fail{color:#fff;background:#b22;padding:2px 8px}")
                .append("code{background:#f4f4f4;padding:2px 4px;word-break:break-all}h2{margin-top:28px}")
                .append("</style></head><body>");
        h.append("<h1>pushfabric load test: ").append(esc(r.scenario())).append(" <span class=\"")
                .append(r.passed() ? "pass\">PASS" : "fail\">FAIL").append("</span></h1>");
        h.append("<p>Run <b>").append(esc(r.runId())).append("</b>, started ").append(esc(r.startedAt()))
                .append(", ").append(String.format(Locale.ROOT, "%.0f", r.seconds())).append(" s.</p>");
        h.append("<p><code>").append(esc(r.command())).append("</code></p>");

        h.append("<h2>Delivery</h2>");
        RunReport.Totals t = r.totals();
        table(h, List.of("published", "publish failures", "delivered", "lost", "duplicates", "out of order",
                "misrouted"), List.of(List.of(n(t.published()), n(t.publishFailures()), n(t.delivered()), n(t.lost()),
                n(t.duplicates()), n(t.outOfOrder()), n(t.misrouted()))));

        if (!r.details().isEmpty()) {
            h.append("<h2>Findings</h2>");
            details(h, mapper.valueToTree(r.details()));
        }
        if (!r.phases().isEmpty()) {
            h.append("<h2>Phases</h2>");
            phases(h, r.phases());
            h.append("<h2>Server-side CPU per delivery</h2>");
            cpuPerDelivery(h, r.phases());
            spreads(h, r.phases());
            h.append("<h2>Hot threads while publishing (% of one core)</h2>");
            hotThreads(h, r.phases());
        }
        h.append("<h2>Charts</h2>");
        charts(h, r);

        h.append("<h2>Clients</h2>");
        RunReport.Clients c = r.clients();
        keyValues(h, Map.of(
                "clients", Integer.toString(c.requested()),
                "WebSocket client", c.transport(),
                "source addresses", c.sourceAddresses().isEmpty() ? "system default" : c.sourceAddresses().toString(),
                "connect concurrency", Integer.toString(c.concurrency()),
                "handshake (TCP + upgrade)", c.handshake().brief(),
                "connect to welcome", c.welcome().brief()));
        details(h, mapper.valueToTree(c.stats()));

        h.append("<h2>Processes</h2>");
        List<List<String>> rows = new ArrayList<>();
        for (ProcessSummary p : r.processes()) {
            rows.add(List.of(p.name(), Long.toString(p.pid()), f1(p.cpuMean()), f1(p.cpuMax()), f1(p.rssStartMb()),
                    f1(p.rssMaxMb()), f1(p.rssEndMb())));
        }
        table(h, List.of("process", "pid", "CPU mean %", "CPU max %", "RSS start MiB", "RSS max MiB", "RSS end MiB"), rows);

        h.append("<h2>Environment</h2>");
        keyValues(h, r.environment());
        h.append("<h2>Fabric</h2>");
        keyValues(h, r.fabric());
        if (!r.notes().isEmpty()) {
            h.append("<h2>Notes</h2><ul>");
            r.notes().forEach(note -> h.append("<li>").append(esc(note)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<p style=\"color:#888\">CPU is in % of one core (the machine has ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores); latency is from the message's scheduled creation time (its createdAt) to its receipt by the"
                        + " client, both on this machine's clock.</p>");
        h.append("</body></html>");
        return h.toString();
    }

    private void phases(StringBuilder h, List<PhaseResult> phases) {
        Set<String> procs = new LinkedHashSet<>();
        phases.forEach(p -> procs.addAll(p.processes().keySet()));
        List<String> head = new ArrayList<>(List.of("phase", "target/s", "sent/s", "delivered/s", "delivered %", "lost",
                "dup", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "settle ms"));
        procs.forEach(p -> head.add(p + " CPU%"));
        List<List<String>> rows = new ArrayList<>();
        for (PhaseResult p : phases) {
            LatencySummary l = p.latency();
            List<String> row = new ArrayList<>(List.of(p.name(), n(Math.round(p.targetRate())), n(Math.round(p.sentPerSec())),
                    n(Math.round(p.deliveredPerSec())), String.format(Locale.ROOT, "%.3f", 100 * p.deliveredRatio()),
                    n(p.lost()), n(p.duplicates()), f1(l.p50()), f1(l.p90()), f1(l.p99()), f1(l.p999()), f1(l.max()),
                    n(p.settleMillis())));
            for (String proc : procs) {
                PhaseResult.ProcessUse u = p.processes().get(proc);
                row.add(u == null ? "" : f1(u.cpuMean()));
            }
            rows.add(row);
        }
        table(h, head, rows);
    }

    /**
     * Per phase: CPU time of each process from the phase's start to the end of its settling, divided by the
     * deliveries in that window (µs), and the fabric's total (the load generator is shown, never counted).
     */
    private static void cpuPerDelivery(StringBuilder h, List<PhaseResult> phases) {
        Set<String> procs = new LinkedHashSet<>();
        phases.stream().filter(p -> p.cpu() != null).forEach(p -> procs.addAll(p.cpu().processes().keySet()));
        List<String> head = new ArrayList<>(List.of("phase", "window s", "deliveries", "fabric CPU %",
                "fabric µs / delivery"));
        for (String proc : procs) {
            head.add(proc + " µs");
        }
        head.add("publisher records / request");
        List<List<String>> rows = new ArrayList<>();
        for (PhaseResult p : phases) {
            if (p.cpu() == null) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(p.name(), f1(p.cpu().windowSeconds()), n(p.cpu().delivered()),
                    f1(p.cpu().fabricCpuPercent()), micros(p.cpu().fabricMicrosPerMessage())));
            for (String proc : procs) {
                var use = p.cpu().processes().get(proc);
                row.add(use == null ? "" : micros(use.microsPerMessage()) + (use.fabric() ? "" : " (not fabric)"));
            }
            row.add(p.recordsPerRequest() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", p.recordsPerRequest()));
            rows.add(row);
        }
        table(h, head, rows);
        h.append("<p>CPU time (user + system, <code>/proc/&lt;pid&gt;/stat</code>) of each process from the phase's start"
                + " to the end of its settling, divided by the deliveries made in that window (a broadcast or channel copy"
                + " counts once per recipient). The fabric total is Kafka, Redis, the dispatcher(s) and the connectors;"
                + " the load generator is not part of it.</p>");
    }

    /** First-to-last copy spread of each fanned-out message, per phase that had any. */
    private static void spreads(StringBuilder h, List<PhaseResult> phases) {
        List<List<String>> rows = new ArrayList<>();
        for (PhaseResult p : phases) {
            LatencySummary l = p.spread();
            if (l != null && l.count() > 0) {
                rows.add(List.of(p.name(), n(l.count()), f1(l.p50()), f1(l.p90()), f1(l.p99()), f1(l.max())));
            }
        }
        if (!rows.isEmpty()) {
            h.append("<h2>First-to-last copy spread</h2>");
            table(h, List.of("phase", "messages", "p50 ms", "p90 ms", "p99 ms", "max ms"), rows);
            h.append("<p>Per broadcast (or channel message) that reached every recipient: time from its first copy's"
                    + " receipt to its last copy's.</p>");
        }
    }

    private static String micros(double v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void hotThreads(StringBuilder h, List<PhaseResult> phases) {
        Set<String> procs = new LinkedHashSet<>();
        phases.forEach(p -> procs.addAll(p.hotThreads().keySet()));
        List<String> head = new ArrayList<>(List.of("phase"));
        head.addAll(procs);
        List<List<String>> rows = new ArrayList<>();
        for (PhaseResult p : phases) {
            List<String> row = new ArrayList<>(List.of(p.name()));
            for (String proc : procs) {
                List<String> cells = new ArrayList<>();
                p.hotThreads().getOrDefault(proc, List.of()).forEach(u -> cells.add(u.thread() + " " + f1(u.cpu())));
                row.add(String.join("; ", cells));
            }
            rows.add(row);
        }
        table(h, head, rows);
    }

    private void charts(StringBuilder h, RunReport r) {
        List<TimelinePoint> tl = r.timeline();
        double[] x = series(tl, TimelinePoint::t);
        SvgChart latency = bands(new SvgChart("End-to-end latency per second", "seconds", "ms (log)", true), tl);
        latency.series("p50", x, latencySeries(tl, TimelinePoint::p50))
                .series("p90", x, latencySeries(tl, TimelinePoint::p90))
                .series("p99", x, latencySeries(tl, TimelinePoint::p99))
                .series("max", x, latencySeries(tl, TimelinePoint::max));
        h.append(latency.render(W, H));
        SvgChart throughput = bands(new SvgChart("Throughput", "seconds", "messages / s", false), tl);
        throughput.series("published/s", x, series(tl, TimelinePoint::sentPerSec))
                .series("dispatched/s (node-topic records)", x, series(tl, p -> p.dispatchedPerSec() < 0 ? Double.NaN
                        : p.dispatchedPerSec()))
                .series("delivered/s", x, series(tl, TimelinePoint::deliveredPerSec));
        h.append(throughput.render(W, H));
        SvgChart lag = bands(new SvgChart("Dispatcher backlog: push-requests records not yet committed", "seconds",
                "records", false), tl);
        lag.series("dispatcher lag", x, series(tl, p -> p.dispatcherLag() < 0 ? Double.NaN : p.dispatcherLag()));
        h.append(lag.render(W, H));
        SvgChart live = bands(new SvgChart("Connected clients", "seconds", "clients", false), tl);
        live.series("live", x, series(tl, p -> p.live()));
        h.append(live.render(W, H));
        Set<String> names = new LinkedHashSet<>();
        tl.forEach(p -> names.addAll(p.processes().keySet()));
        SvgChart cpu = bands(new SvgChart("CPU per process (% of one core)", "seconds", "% CPU", false), tl);
        SvgChart rss = bands(new SvgChart("Resident memory per process", "seconds", "MiB", false), tl);
        for (String name : names) {
            cpu.series(name, x, series(tl, p -> proc(p, name, true)));
            rss.series(name, x, series(tl, p -> proc(p, name, false)));
        }
        cpu.series("machine", x, series(tl, TimelinePoint::machineCpu));
        cpu.series("others", x, series(tl, TimelinePoint::otherCpu));
        h.append(cpu.render(W, H)).append(rss.render(W, H));
        SvgChart percentiles = new SvgChart("Latency by percentile, per phase", "percentile", "ms (log)", true);
        for (PhaseResult p : r.phases()) {
            if (p.latency().count() == 0) {
                continue;
            }
            double[] px = new double[p.latency().curve().size()];
            double[] py = new double[px.length];
            for (int i = 0; i < px.length; i++) {
                double pct = Math.min(99.999, p.latency().curve().get(i)[0]);
                px[i] = Math.log10(100.0 / (100.0 - pct));
                py[i] = Math.max(0.01, p.latency().curve().get(i)[1]);
            }
            percentiles.series(p.name(), px, py);
        }
        if (!percentiles.isEmpty()) {
            String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
            for (int i = 0; i < labels.length; i++) {
                percentiles.xTick(i, labels[i]);
            }
            h.append(percentiles.render(W, H));
        }
    }

    private static SvgChart bands(SvgChart chart, List<TimelinePoint> tl) {
        int start = 0;
        for (int i = 1; i <= tl.size(); i++) {
            if (i == tl.size() || !tl.get(i).phase().equals(tl.get(start).phase())) {
                double from = start == 0 ? 0 : tl.get(start - 1).t();
                chart.band(from, tl.get(i - 1).t(), tl.get(start).phase());
                start = i;
            }
        }
        return chart;
    }

    private static double proc(TimelinePoint p, String name, boolean cpu) {
        TimelinePoint.Proc proc = p.processes().get(name);
        return proc == null ? Double.NaN : cpu ? proc.cpu() : proc.rssMb();
    }

    private static double[] series(List<TimelinePoint> tl, ToDoubleFunction<TimelinePoint> f) {
        double[] v = new double[tl.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(tl.get(i));
        }
        return v;
    }

    private static double[] latencySeries(List<TimelinePoint> tl, ToDoubleFunction<TimelinePoint> f) {
        double[] v = new double[tl.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = tl.get(i).latencyCount() == 0 ? Double.NaN : Math.max(0.01, f.applyAsDouble(tl.get(i)));
        }
        return v;
    }

    /**
     * Renders JSON: objects as key/value tables, arrays of objects as tables with one row per element, latency
     * summaries as one line, nested values recursively.
     */
    private void details(StringBuilder h, JsonNode node) {
        if (isLatency(node)) {
            h.append(esc(latency(node)));
        } else if (node.isArray() && node.size() > 0 && node.get(0).isObject() && !isLatency(node.get(0))) {
            List<String> head = new ArrayList<>();
            node.get(0).fieldNames().forEachRemaining(head::add);
            h.append("<table><tr>");
            head.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
            h.append("</tr>");
            for (JsonNode row : node) {
                h.append("<tr>");
                for (String k : head) {
                    h.append("<td>");
                    details(h, row.path(k));
                    h.append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</table>");
        } else if (node.isObject()) {
            h.append("<table>");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equals("curve")) {
                    continue;
                }
                h.append("<tr><th class=\"k\">").append(esc(e.getKey())).append("</th><td class=\"k\">");
                details(h, e.getValue());
                h.append("</td></tr>");
            }
            h.append("</table>");
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(v -> items.add(v.isValueNode() ? v.asText() : v.toString()));
            h.append(esc(String.join(", ", items)));
        } else if (node.isFloatingPointNumber()) {
            h.append(esc(f1(node.asDouble())));
        } else if (!node.isNull() && !node.isMissingNode()) {
            h.append(esc(node.asText()));
        }
    }

    private static boolean isLatency(JsonNode v) {
        return v.isObject() && v.has("p50") && v.has("p99") && v.has("count");
    }

    private static String latency(JsonNode v) {
        if (v.path("count").asLong() == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %s / p90 %s / p99 %s / max %s ms (n=%d)", f1(v.path("p50").asDouble()),
                f1(v.path("p90").asDouble()), f1(v.path("p99").asDouble()), f1(v.path("max").asDouble()),
                v.path("count").asLong());
    }

    private static void keyValues(StringBuilder h, Map<String, String> map) {
        h.append("<table>");
        map.forEach((k, v) -> h.append("<tr><th class=\"k\">").append(esc(k)).append("</th><td class=\"k\">")
                .append(esc(v)).append("</td></tr>"));
        h.append("</table>");
    }

    private static void table(StringBuilder h, List<String> head, List<List<String>> rows) {
        h.append("<table><tr>");
        for (int i = 0; i < head.size(); i++) {
            h.append(i == 0 ? "<th class=\"k\">" : "<th>").append(esc(head.get(i))).append("</th>");
        }
        h.append("</tr>");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                h.append(i == 0 ? "<td class=\"k\">" : "<td>").append(esc(row.get(i))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.1f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
