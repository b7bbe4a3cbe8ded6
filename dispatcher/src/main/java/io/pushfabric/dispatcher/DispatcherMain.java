package io.pushfabric.dispatcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.dispatcher.api.ApiSettings;
import io.pushfabric.dispatcher.api.PublishApi;
import io.pushfabric.dispatcher.http.StatusServer;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar dispatcher-all.jar}: configured by {@code PUSH_*} and {@code KAFKA_*} variables. */
public final class DispatcherMain {
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherMain.class);

    private DispatcherMain() {
    }

    public static void main(String[] args) {
        DispatcherConfig config;
        Optional<ApiSettings> apiSettings;
        try {
            config = DispatcherConfig.fromEnv(System.getenv());
            apiSettings = ApiSettings.fromEnv(System.getenv());
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("pushfabric dispatcher: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags("service", "dispatcher");
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(meters);
        // Bind the status port before anything else: a dispatcher without health endpoints must not run.
        java.util.concurrent.atomic.AtomicReference<DispatcherApp> running = new java.util.concurrent.atomic.AtomicReference<>();
        StatusServer status = new StatusServer("0.0.0.0", config.httpPort(),
                () -> running.get() != null && running.get().isRunning(),
                () -> running.get() != null && running.get().isReady(), meters::scrape);
        status.start();
        DispatcherApp app = DispatcherApp.start(config, meters, Clock.systemUTC());
        running.set(app);
        LOG.info("Dispatcher status endpoints on port {}", status.port());
        Optional<PublishApi> api;
        try {
            api = apiSettings.map(settings -> PublishApi.start(settings, config.kafka(),
                    config.maxPayloadBytes(), app.registries().routes(), app.registries().nodes(),
                    app.registries().channelMembers(), meters,
                    Clock.systemUTC()));
        } catch (RuntimeException e) {
            // A dispatcher without the API it was configured with must not run as if all were well.
            LOG.error("Cannot start the HTTP API; stopping", e);
            status.close();
            app.close();
            System.exit(1);
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutdown signal received");
            stopping.set(true);
            status.close();
            api.ifPresent(PublishApi::close);
            app.close();
        }, "pf-shutdown"));
        try {
            app.awaitLoopEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stopping.get()) {
            // A dispatcher whose loop died must not linger as a healthy-looking process.
            LOG.error("The dispatch loop ended unexpectedly; exiting so the process is restarted");
            System.exit(1);
        }
    }
}
