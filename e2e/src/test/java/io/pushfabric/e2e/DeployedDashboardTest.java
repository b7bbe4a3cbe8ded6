package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pushfabric.e2e.deploy.K8sManifests;
import io.pushfabric.embedded.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code deploy/} asks of the services, asked of a real connector and dispatcher ({@code ConnectorMain},
 * {@code DispatcherMain}, each its own JVM as in production): every series and label value the Grafana
 * dashboard queries is in their {@code /metrics}, and the probe and scrape paths of the Kubernetes manifests
 * answer 200.
 */
class DeployedDashboardTest {
    private static final java.nio.file.Path DASHBOARD = K8sManifests.REPO.resolve("deploy/grafana/pushfabric.json");
    /** A series name as the dashboard writes it: our own, the Kafka clients', the JVM's. */
    private static final Pattern SELECTOR = Pattern.compile(
            "\\b((?:pushfabric|kafka|jvm|process)_[a-zA-Z0-9_]+)(\\{([^}]*)\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]+)\\s*=\\s*\"([^\"]*)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Fabric fabric;
    private static ServiceProcess dispatcher;
    private static ServiceProcess connector;
    private static int dispatcherPort;
    private static int connectorPort;

    @BeforeAll
    static void startServices() {
        fabric = Fabric.start(0, 0, Map.of());
        dispatcherPort = FreePorts.pick();
        connectorPort = FreePorts.pick();
        Map<String, String> dispatcherEnv = new HashMap<>(fabric.env);
        dispatcherEnv.put("PUSH_HTTP_PORT", Integer.toString(dispatcherPort));
        Map<String, String> connectorEnv = new HashMap<>(fabric.env);
        connectorEnv.put("PUSH_NODE_ID", fabric.nodeId(0));
        connectorEnv.put("PUSH_PORT", Integer.toString(connectorPort));
        // Both JVMs start at once: neither needs the other to become ready.
        CompletableFuture<ServiceProcess> starting = CompletableFuture.supplyAsync(() -> ServiceProcess.start(
                "deploy-dispatcher-" + fabric.base, "io.pushfabric.dispatcher.DispatcherMain", dispatcherEnv, dispatcherPort));
        connector = ServiceProcess.start("deploy-connector-" + fabric.base, "io.pushfabric.connector.ConnectorMain",
                connectorEnv, connectorPort);
        dispatcher = starting.join();
    }

    @AfterAll
    static void stopServices() {
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> close(dispatcher));
        close(connector);
        stopping.join();
        close(fabric);
    }

    private static void close(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop " + c, e);
        }
    }

    @Test
    void everySeriesAndLabelTheDashboardQueriesIsExported() throws Exception {
        List<String> expressions = new ArrayList<>();
        collectExpressions(new ObjectMapper().readTree(DASHBOARD.toFile()), expressions);
        assertThat(expressions).hasSizeGreaterThan(10);
        Map<String, Set<Map<String, String>>> exported = new HashMap<>();
        parse(get(connectorPort, "/metrics").body(), exported);
        parse(get(dispatcherPort, "/metrics").body(), exported);

        for (String expr : expressions) {
            Matcher selector = SELECTOR.matcher(expr);
            assertThat(selector.find()).as("a series in %s", expr).isTrue();
            do {
                String name = selector.group(1);
                assertThat(exported).as("%s (in %s) is exported", name, expr).containsKey(name);
                Map<String, String> wanted = new HashMap<>();
                Matcher m = MATCHER.matcher(selector.group(3) == null ? "" : selector.group(3));
                while (m.find()) {
                    wanted.put(m.group(1), m.group(2));
                }
                assertThat(exported.get(name)).as("a sample of %s with %s", name, wanted)
                        .anyMatch(labels -> labels.entrySet().containsAll(wanted.entrySet()));
            } while (selector.find());
        }
    }

    @Test
    void theManifestsProbeAndScrapePathsAnswerOnTheRunningServices() throws Exception {
        K8sManifests manifests = K8sManifests.load();
        Container c = manifests.one(StatefulSet.class, "pushfabric-connector").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        Container d = manifests.one(Deployment.class, "pushfabric-dispatcher").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        String scrapePath = manifests.custom("ServiceMonitor").orElseThrow().path("spec").path("endpoints").get(0)
                .path("path").asText();

        for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
            assertThat(get(connectorPort, probe.getHttpGet().getPath()).statusCode()).isEqualTo(200);
        }
        for (Probe probe : List.of(d.getStartupProbe(), d.getReadinessProbe(), d.getLivenessProbe())) {
            assertThat(get(dispatcherPort, probe.getHttpGet().getPath()).statusCode()).isEqualTo(200);
        }
        assertThat(get(connectorPort, scrapePath).body()).contains("# TYPE pushfabric_connector_sessions gauge");
        assertThat(get(dispatcherPort, scrapePath).body()).contains("# TYPE pushfabric_dispatcher_requests_total counter");
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.has("expr")) {
            into.add(node.get("expr").asText());
        }
        node.forEach(child -> collectExpressions(child, into));
    }

    /** Prometheus text: series name → the label sets of its samples. */
    private static void parse(String text, Map<String, Set<Map<String, String>>> into) {
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? ");
        for (String line : text.split("\n")) {
            Matcher m = sample.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = MATCHER.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            into.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(labels);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
