package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.client.ClientFleet;
import io.pushfabric.loadtest.fabric.Fabric;
import io.pushfabric.loadtest.measure.CpuCost;
import io.pushfabric.loadtest.measure.CpuMeter;
import io.pushfabric.loadtest.measure.DeliveryLedger;
import io.pushfabric.loadtest.measure.HotThreads;
import io.pushfabric.loadtest.measure.LatencyBook;
import io.pushfabric.loadtest.measure.LatencySummary;
import io.pushfabric.loadtest.measure.MicroClock;
import io.pushfabric.loadtest.measure.Monitor;
import io.pushfabric.loadtest.measure.Phases;
import io.pushfabric.loadtest.measure.TimelinePoint;
import io.pushfabric.loadtest.publish.ProducerSpec;
import io.pushfabric.loadtest.publish.RatedPublisher;
import io.pushfabric.loadtest.report.PhaseResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * What a scenario works with: the fabric, the clients, the publisher and the books, plus the helpers every
 * scenario shares (connect everyone, publish a phase and let it settle, drain at the end).
 */
public final class RunContext {
    private static final long SETTLE_POLL_NANOS = 20_000_000;

    private final Fabric fabric;
    private final ClientFleet fleet;
    private final ClientSpec clients;
    private final DeliveryLedger ledger;
    private final LatencyBook latency;
    private final Phases phases;
    private final Monitor monitor;
    private final MicroClock clock;
    private final PrintStream out;
    private final List<PhaseRecord> records = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Histogram handshakes = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
    private final Histogram welcomes = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
    private final HotThreads hotThreads;
    private final CpuMeter cpuMeter;
    private final Map<Integer, CpuMeter.Window> cpuWindows = new HashMap<>();
    private final ProducerSpec producers;
    private RatedPublisher publisher;

    /**
     * A phase as it ended; turned into a {@link PhaseResult} once the run has drained. {@code cpu} is the fabric's
     * CPU from the phase's start to the end of its settling; {@code requests} what the producers sent meanwhile.
     */
    private record PhaseRecord(int index, String name, String kind, double rate, double seconds,
                               DeliveryLedger.PhaseSnapshot atSettle, long settleMillis,
                               Map<String, List<HotThreads.Use>> hotThreads, CpuCost cpu,
                               RatedPublisher.Requests requests) {
    }

    RunContext(Fabric fabric, ClientFleet fleet, ClientSpec clients, ProducerSpec producers, DeliveryLedger ledger,
               LatencyBook latency, Phases phases, Monitor monitor, MicroClock clock, PrintStream out) {
        this.fabric = fabric;
        this.fleet = fleet;
        this.clients = clients;
        this.ledger = ledger;
        this.latency = latency;
        this.phases = phases;
        this.monitor = monitor;
        this.clock = clock;
        this.out = out;
        this.hotThreads = new HotThreads(monitor.processes());
        this.cpuMeter = new CpuMeter(monitor.processes(), fabric.processes());
        this.producers = producers;
    }

    public Fabric fabric() {
        return fabric;
    }

    public ClientFleet fleet() {
        return fleet;
    }

    public ClientSpec clients() {
        return clients;
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    public Monitor monitor() {
        return monitor;
    }

    public PrintStream out() {
        return out;
    }

    public synchronized RatedPublisher publisher() {
        if (publisher == null) {
            publisher = new RatedPublisher(fabric.bootstrap(), fabric.requestsTopic(), ledger, clock, clients.payloadBytes(),
                    producers);
        }
        return publisher;
    }

    /** Starts a phase: later timeline points carry its name. @return its index (travels in payloads) */
    public int beginPhase(String name, String label) {
        int index = phases.add(name);
        monitor.phase(name, label);
        hotThreads.mark();
        synchronized (cpuWindows) {
            cpuWindows.put(index, cpuMeter.open());
        }
        return index;
    }

    /** A CPU window opened now, for a measurement of the scenario's own (e.g. idle CPU). */
    public CpuMeter.Window openCpuWindow() {
        return cpuMeter.open();
    }

    /**
     * Connects every client (first connects through the gate, retried on failure), waits up to {@code timeout}
     * for all to be welcomed, and makes the welcomed ones the audience of everything published from now on.
     * Reports (detail {@code connect}, and a {@code CONNECT:} line) the time from the first connect until the last
     * welcome arrived.
     * @return how many are live
     */
    public int connectAll(Duration timeout) throws InterruptedException {
        beginPhase("connect", "connecting " + fleet.size());
        long t0 = System.nanoTime();
        fleet.connect(0, fleet.size(), clients.concurrency(), true);
        boolean all = fleet.awaitLive(fleet.size(), timeout, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int live = fleet.live();
        Histogram[] times = takeConnectTimes();
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("clients", live);
        connect.put("seconds", round(seconds));
        connect.put("connectsPerSecond", round(live / seconds));
        connect.put("allWelcomed", all);
        connect.put("handshake", LatencySummary.of(times[0]));
        connect.put("welcome", LatencySummary.of(times[1]));
        details.put("connect", connect);
        out.printf(Locale.ROOT, "CONNECT: %s%d of %d clients welcomed in %.1f s (%.0f/s)%n", all ? "all " : "only ",
                live, fleet.size(), seconds, live / seconds);
        if (!all) {
            note(String.format("only %d of %d clients were welcomed within %d s", live, fleet.size(), timeout.toSeconds()));
        }
        ledger.setAudience(fleet.everWelcomed());
        return live;
    }

    /** Indexes of the clients welcomed so far (targets for targeted messages). */
    public int[] audience() {
        BitSet welcomed = fleet.everWelcomed();
        return welcomed.stream().toArray();
    }

    /** Connect times since the previous call (handshake, welcome), also added to the run's totals. */
    public Histogram[] takeConnectTimes() {
        Histogram[] interval = fleet.takeConnectTimes();
        synchronized (handshakes) {
            handshakes.add(interval[0]);
            welcomes.add(interval[1]);
        }
        return interval;
    }

    /**
     * Publishes at {@code rate} for {@code duration} in a new phase, then waits up to {@code settle} for every
     * publish to be acknowledged and every delivery made. @return the phase index
     */
    public int publishPhase(String name, String label, String kind, double rate, Duration duration,
                            RatedPublisher.Mix mix, Duration settle) {
        return publishPhase(name, label, kind, rate, settle,
                index -> publisher().run(index, rate, duration, mix, i -> fleet.client(i).user()));
    }

    /** Like {@link #publishPhase}, each message to a random one of the ledger's channels. */
    public int publishChannelPhase(String name, String label, double rate, Duration duration, Duration settle) {
        return publishPhase(name, label, "channel", rate, settle, index -> publisher().runChannels(index, rate, duration));
    }

    private int publishPhase(String name, String label, String kind, double rate, Duration settle,
                             IntConsumer publishing) {
        RatedPublisher.Requests requestsBefore = publisher().requests();
        int index = beginPhase(name, label);
        long t0 = System.nanoTime();
        publishing.accept(index);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, List<HotThreads.Use>> hot = hotThreads.since();
        publisher().flush();
        long settleMillis = awaitSettled(index, settle);
        DeliveryLedger.PhaseSnapshot atSettle = ledger.phase(index);
        records.add(new PhaseRecord(index, name, kind, rate, seconds, atSettle, settleMillis, hot,
                closeCpuWindow(index, atSettle.delivered()), publisher().requests().minus(requestsBefore)));
        return index;
    }

    private CpuCost closeCpuWindow(int index, long delivered) {
        synchronized (cpuWindows) {
            return cpuWindows.remove(index).close(delivered);
        }
    }

    /** Records a phase whose publishing the scenario drove itself (hot threads since its {@link #beginPhase}). */
    public void recordPhase(int index, String kind, double rate, double seconds, Duration settle) {
        Map<String, List<HotThreads.Use>> hot = hotThreads.since();
        long settleMillis = awaitSettled(index, settle);
        DeliveryLedger.PhaseSnapshot atSettle = ledger.phase(index);
        records.add(new PhaseRecord(index, phases.name(index), kind, rate, seconds, atSettle, settleMillis, hot,
                closeCpuWindow(index, atSettle.delivered()), new RatedPublisher.Requests(-1, -1)));
    }

    /** Waits until the phase is settled or {@code limit} passes. @return the milliseconds waited */
    public long awaitSettled(int index, Duration limit) {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        while (!ledger.phase(index).settled() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(SETTLE_POLL_NANOS);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Waits up to {@code limit} for every phase to settle, before losses are counted. */
    public void drain(Duration limit) {
        monitor.phase("drain", "draining");
        long deadline = System.nanoTime() + limit.toNanos();
        for (PhaseRecord r : records) {
            long left = deadline - System.nanoTime();
            awaitSettled(r.index(), Duration.ofNanos(Math.max(0, left)));
        }
    }

    /** The outcome of a phase so far, for decisions during the run (e.g. whether a sweep saturated). */
    public PhaseResult phaseResult(int index) {
        for (PhaseRecord r : records) {
            if (r.index() == index) {
                return result(r, false);
            }
        }
        throw new IllegalArgumentException("no finished phase " + index);
    }

    public void detail(String key, Object value) {
        details.put(key, value);
    }

    public void note(String note) {
        notes.add(note);
        out.println("NOTE: " + note);
    }

    List<PhaseResult> phaseResults() {
        return records.stream().map(r -> result(r, true)).toList();
    }

    Map<String, Object> details() {
        return details;
    }

    List<String> notes() {
        return notes;
    }

    Histogram[] connectTotals() {
        takeConnectTimes();
        synchronized (handshakes) {
            return new Histogram[] {handshakes.copy(), welcomes.copy()};
        }
    }

    synchronized void closePublisher() {
        if (publisher != null) {
            publisher.close();
        }
    }

    private PhaseResult result(PhaseRecord r, boolean countLost) {
        DeliveryLedger.PhaseSnapshot s = r.atSettle();
        double ratio = s.expected() == 0 ? 1.0 : Math.min(1.0, (double) s.delivered() / s.expected());
        double window = r.seconds() + r.settleMillis() / 1000.0;
        return new PhaseResult(r.name(), r.kind(), r.rate(), round(r.seconds()), s.sent(), s.acked(), s.failed(),
                s.expected(), s.delivered(), ratio, countLost ? ledger.lost(r.index()) : -1, s.duplicates(),
                round(s.acked() / Math.max(1e-3, r.seconds())), round(s.delivered() / Math.max(1e-3, window)),
                r.settleMillis(), LatencySummary.of(latency.phase(r.index())), processUse(r.name()), r.hotThreads(),
                r.cpu(), LatencySummary.of(spread(r.index())), r.requests().recordsPerRequest());
    }

    /** First-to-last copy spread of the phase's broadcasts, or else of its channel messages (none: empty). */
    private Histogram spread(int index) {
        Histogram broadcasts = ledger.broadcastSpread(index);
        return broadcasts.getTotalCount() > 0 ? broadcasts : ledger.channelSpread(index);
    }

    private Map<String, PhaseResult.ProcessUse> processUse(String phase) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (TimelinePoint p : monitor.timeline()) {
            if (!p.phase().equals(phase)) {
                continue;
            }
            p.processes().forEach((name, proc) -> {
                double[] a = acc.computeIfAbsent(name, k -> new double[4]);
                a[0] += proc.cpu();
                a[1] = Math.max(a[1], proc.cpu());
                a[2] = Math.max(a[2], proc.rssMb());
                a[3]++;
            });
        }
        Map<String, PhaseResult.ProcessUse> use = new LinkedHashMap<>();
        acc.forEach((name, a) -> use.put(name, new PhaseResult.ProcessUse(round(a[0] / a[3]), a[1], a[2])));
        return use;
    }

    static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
