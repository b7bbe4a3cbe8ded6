package io.pushfabric.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s} is valid for the Kubernetes API (every object binds to fabric8's typed model with no
 * unknown field) and keeps the invariants the services rely on: stable node ids, probes on the endpoints
 * the code serves, a grace period above the drain, only settings that exist. Offline: nothing is applied
 * to a cluster. Where {@code kubectl} is installed, {@code kubectl kustomize} must render the directory too.
 */
class KubernetesManifestsTest {
    private static final String CONNECTOR = "pushfabric-connector";
    private static final String DISPATCHER = "pushfabric-dispatcher";
    /** ConnectorApp waits this long past the window for the last sessions, then shuts down. */
    private static final long DRAIN_GRACE_SECONDS = 5;
    /** What shutdown after the drain may take (in-flight work, Kafka and Redis clients): docs/operations.md. */
    private static final long SHUTDOWN_SECONDS = 30;
    private static final Pattern PUSH_NAME = Pattern.compile("\\bPUSH_[A-Z0-9_]+\\b");

    private static K8sManifests manifests;

    @BeforeAll
    static void load() throws IOException {
        manifests = K8sManifests.load();
    }

    @Test
    void everyObjectBindsToItsKubernetesTypeWithNoUnknownField() {
        assertThat(manifests.typed).extracting(HasMetadata::getKind)
                .contains("StatefulSet", "Deployment", "Service", "PodDisruptionBudget", "Ingress", "ConfigMap");
        for (HasMetadata object : manifests.typed) {
            assertThat(UnknownFields.of(object)).as("fields %s/%s does not declare", object.getKind(),
                    object.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    void connectorsAreAStatefulSetWhoseNodeIdIsThePodName() {
        StatefulSet connectors = manifests.one(StatefulSet.class, CONNECTOR);
        EnvVar nodeId = container(connectors.getSpec().getTemplate()).getEnv().stream()
                .filter(e -> e.getName().equals("PUSH_NODE_ID")).findFirst().orElseThrow();

        assertThat(nodeId.getValue()).isNull();
        assertThat(nodeId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        Service governing = manifests.one(Service.class, connectors.getSpec().getServiceName());
        assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(governing.getSpec().getSelector()).isEqualTo(connectors.getSpec().getSelector().getMatchLabels());
        assertThat(manifests.all(Deployment.class)).extracting(d -> d.getMetadata().getName()).containsOnly(DISPATCHER);
    }

    @Test
    void probesUseTheEndpointsTheServicesServeOnTheirConfiguredPorts() throws IOException {
        checkProbes(container(manifests.one(StatefulSet.class, CONNECTOR).getSpec().getTemplate()), "PUSH_PORT", "connector");
        checkProbes(container(manifests.one(Deployment.class, DISPATCHER).getSpec().getTemplate()), "PUSH_HTTP_PORT",
                "dispatcher");
    }

    private static void checkProbes(Container container, String portVariable, String module) throws IOException {
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        String served = sources(module);
        for (Probe probe : List.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())) {
            assertThat(served).as("%s serves %s", module, probe.getHttpGet().getPath())
                    .contains("\"" + probe.getHttpGet().getPath() + "\"");
            int port = containerPort(container, probe.getHttpGet().getPort().getStrVal());
            assertThat(K8sManifests.env(container, portVariable)).as(portVariable).contains(Integer.toString(port));
        }
    }

    @Test
    void terminationGraceOutlastsPreStopDrainWindowAndShutdown() {
        PodSpec pod = manifests.one(StatefulSet.class, CONNECTOR).getSpec().getTemplate().getSpec();
        Container connector = pod.getContainers().get(0);
        long preStop = preStopSleepSeconds(connector);
        long windowMs = Long.parseLong(K8sManifests.env(connector, "PUSH_DRAIN_WINDOW_MS").orElseThrow());

        assertThat(pod.getTerminationGracePeriodSeconds())
                .as("preStop %d s + drain window %d ms + %d s + shutdown %d s", preStop, windowMs, DRAIN_GRACE_SECONDS,
                        SHUTDOWN_SECONDS)
                .isGreaterThan(preStop + TimeUnit.MILLISECONDS.toSeconds(windowMs) + DRAIN_GRACE_SECONDS + SHUTDOWN_SECONDS);
        // The dispatcher finishes its batch (up to 30 s) before it leaves the group.
        assertThat(manifests.one(Deployment.class, DISPATCHER).getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds()).isGreaterThan(SHUTDOWN_SECONDS);
    }

    @Test
    void dispatchersNeverOutnumberThePartitionsOfPushRequests() {
        int partitions = Integer.parseInt(manifests.one(ConfigMap.class, "pushfabric-settings").getData()
                .get("PUSH_REQUESTS_PARTITIONS"));

        assertThat(manifests.one(Deployment.class, DISPATCHER).getSpec().getReplicas()).isBetween(1, partitions);
    }

    @Test
    void everyPushSettingExistsInTheCodeAndInOperationsMd() throws IOException {
        Set<String> used = new TreeSet<>();
        for (HasMetadata object : manifests.typed) {
            if (object instanceof ConfigMap map) {
                used.addAll(map.getData().keySet());
            }
        }
        for (PodTemplateSpec template : templates()) {
            for (Container c : template.getSpec().getContainers()) {
                c.getEnv().forEach(e -> used.add(e.getName()));
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> used.add(e.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
        used.removeIf(name -> !name.startsWith("PUSH_"));
        String operations = Files.readString(K8sManifests.REPO.resolve("docs/operations.md"), StandardCharsets.UTF_8);
        Set<String> inCode = pushNames(sources("connector") + sources("dispatcher") + sources("contracts")
                + sources("registry"));

        assertThat(used).isNotEmpty().allSatisfy(name -> {
            assertThat(operations).as("docs/operations.md documents %s", name).contains("`" + name + "`");
            assertThat(inCode).as("the services read %s", name).contains(name);
        });
    }

    @Test
    void secretsComeFromSecretsAndNeverFromTheManifests() {
        assertThat(manifests.typed).noneMatch(o -> o.getKind().equals("Secret"));
        for (PodTemplateSpec template : templates()) {
            Container c = template.getSpec().getContainers().get(0);
            for (String name : List.of("PUSH_KAFKA_BOOTSTRAP", "PUSH_REDIS")) {
                assertThat(secretOf(c, name)).as(name).isEqualTo("pushfabric-backends");
            }
        }
        assertThat(secretOf(container(manifests.one(StatefulSet.class, CONNECTOR).getSpec().getTemplate()),
                "PUSH_JWT_SECRET")).isEqualTo("pushfabric-jwt");
    }

    @Test
    void podsDoNotGetServiceLinksThatTheKafkaPassThroughWouldPickUp() {
        assertThat(templates()).allSatisfy(t -> assertThat(t.getSpec().getEnableServiceLinks()).isFalse());
    }

    @Test
    void budgetsServicesAndTheServiceMonitorSelectThePods() {
        for (PodTemplateSpec template : templates()) {
            Map<String, String> labels = template.getMetadata().getLabels();
            assertThat(manifests.all(PodDisruptionBudget.class)).filteredOn(p ->
                    labels.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet())).hasSize(1);
        }
        assertThat(manifests.all(PodDisruptionBudget.class))
                .allSatisfy(p -> assertThat(p.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
        JsonNode monitor = manifests.custom("ServiceMonitor").orElseThrow();
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        Map<String, String> wanted = Map.of("pushfabric.io/metrics",
                monitor.path("spec").path("selector").path("matchLabels").path("pushfabric.io/metrics").asText());
        List<Service> scraped = manifests.all(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(wanted.entrySet())).toList();
        assertThat(scraped).extracting(s -> s.getSpec().getSelector().get("app.kubernetes.io/name"))
                .containsExactlyInAnyOrder(CONNECTOR, DISPATCHER);
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        assertThat(scraped).allSatisfy(s -> assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName)
                .contains(endpoint.path("port").asText()));
    }

    @Test
    void theIngressExposesOnlyTheWebSocketPathWithLongTimeouts() {
        Ingress ingress = manifests.all(Ingress.class).get(0);
        assertThat(ingress.getSpec().getRules()).flatExtracting(r -> r.getHttp().getPaths())
                .extracting(p -> p.getPath()).containsExactly("/ws");
        int readTimeout = Integer.parseInt(ingress.getMetadata().getAnnotations()
                .get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
        assertThat(readTimeout).as("seconds, above PUSH_PING_INTERVAL_MS (20 s)").isGreaterThan(20);
    }

    @Test
    void kubectlKustomizeRendersTheDirectory() throws Exception {
        assumeTrue(onPath("kubectl"), "skipped: no kubectl on PATH to render " + K8sManifests.DIR);
        Process render = new ProcessBuilder("kubectl", "kustomize", K8sManifests.DIR.toString()).redirectErrorStream(true)
                .start();
        String output = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(render.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(render.exitValue()).as(output).isZero();
        assertThat(output).contains("kind: StatefulSet", "kind: Deployment", "kind: ServiceMonitor", "namespace: pushfabric");
    }

    private static List<PodTemplateSpec> templates() {
        return List.of(manifests.one(StatefulSet.class, CONNECTOR).getSpec().getTemplate(),
                manifests.one(Deployment.class, DISPATCHER).getSpec().getTemplate());
    }

    private static Container container(PodTemplateSpec template) {
        assertThat(template.getSpec().getContainers()).hasSize(1);
        return template.getSpec().getContainers().get(0);
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }

    private static long preStopSleepSeconds(Container container) {
        List<String> command = container.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(command).hasSize(2).first().isEqualTo("sleep");
        return Long.parseLong(command.get(1));
    }

    private static String secretOf(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> e.getValueFrom().getSecretKeyRef().getName()).orElse(null);
    }

    /** Every main source and resource file of a module, concatenated. */
    private static String sources(String module) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(K8sManifests.REPO.resolve(module).resolve("src/main"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return all.toString();
    }

    private static Set<String> pushNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PUSH_NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static boolean onPath(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
