package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.fabric.KafkaProbe;
import io.pushfabric.loadtest.measure.Monitor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Asks Kafka for the stage backlogs once a second on a thread of its own, so a slow answer never delays the monitor. */
final class StageSampler implements AutoCloseable {
    private final KafkaProbe probe;
    private final AtomicReference<Monitor.Stages> latest = new AtomicReference<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lt-kafka-probe");
        t.setDaemon(true);
        return t;
    });

    StageSampler(KafkaProbe probe) {
        this.probe = probe;
    }

    void start() {
        timer.scheduleWithFixedDelay(() -> {
            KafkaProbe.Sample s = probe.sample();
            latest.set(s == null ? null : new Monitor.Stages(s.nodeRecords(), s.dispatcherLag()));
        }, 0, 1, TimeUnit.SECONDS);
    }

    Monitor.Stages latest() {
        return latest.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
    }
}
