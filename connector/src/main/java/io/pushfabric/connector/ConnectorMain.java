package io.pushfabric.connector;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pushfabric.contracts.config.ConfigException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code java -jar connector-all.jar}: configured by {@code PUSH_*} and {@code KAFKA_*} variables. */
public final class ConnectorMain {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorMain.class);

    private ConnectorMain() {
    }

    public static void main(String[] args) {
        ConnectorConfig config;
        try {
            config = ConnectorConfig.fromEnv(System.getenv());
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("pushfabric connector: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.setProperty("pushfabric.node", config.nodeId().value());
        MDC.put("node", config.nodeId().value());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags("service", "connector");
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(meters);
        ConnectorApp app = ConnectorApp.start(config, meters, meters::scrape, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutdown signal received: draining");
            app.drainAndClose();
        }, "pf-shutdown"));
    }
}
