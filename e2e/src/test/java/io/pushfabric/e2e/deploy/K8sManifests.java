package io.pushfabric.e2e.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Kubernetes manifests of {@code deploy/k8s}, read the way kustomize reads them: every file named in
 * {@code kustomization.yaml}, every YAML document in it, each bound to fabric8's typed model of its kind.
 * The ServiceMonitor is a custom resource fabric8's core model does not know; it stays a tree.
 */
public final class K8sManifests {
    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    public static final Path DIR = REPO.resolve("deploy/k8s");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class);

    final JsonNode kustomization;
    final List<HasMetadata> typed = new ArrayList<>();
    final List<JsonNode> custom = new ArrayList<>();

    private K8sManifests(JsonNode kustomization) {
        this.kustomization = kustomization;
    }

    public static K8sManifests load() throws IOException {
        K8sManifests manifests = new K8sManifests(YAML.readTree(DIR.resolve("kustomization.yaml").toFile()));
        for (JsonNode resource : manifests.kustomization.path("resources")) {
            for (JsonNode doc : documents(DIR.resolve(resource.asText()))) {
                String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type == null) {
                    manifests.custom.add(doc);
                } else {
                    manifests.typed.add(YAML.treeToValue(doc, type));
                }
            }
        }
        return manifests;
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(Files.newBufferedReader(file))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            });
        }
        return docs;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return typed.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    public <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in " + DIR));
    }

    public Optional<JsonNode> custom(String kind) {
        return custom.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst();
    }

    /** The literal value of an environment variable of the container, if it is set literally. */
    static Optional<String> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
    }
}
