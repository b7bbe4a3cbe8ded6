package io.pushfabric.loadtest.fabric;

import io.pushfabric.loadtest.measure.Watched;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A running fabric, used as it is; the load generator only samples the processes it was told about. */
final class ExistingFabric implements Fabric {
    private final ExistingFabricSpec spec;
    private final List<Watched> processes = new ArrayList<>();

    ExistingFabric(ExistingFabricSpec spec) {
        this.spec = spec;
        spec.monitor().forEach((name, pid) -> processes.add(new Watched(name, pid)));
        processes.sort(Comparator.comparing(Watched::name));
    }

    @Override
    public List<URI> webSocketUrls() {
        return spec.urls();
    }

    @Override
    public String bootstrap() {
        return spec.bootstrap();
    }

    @Override
    public String requestsTopic() {
        return spec.topic();
    }

    @Override
    public String dispatcherGroup() {
        return spec.dispatcherGroup();
    }

    @Override
    public String nodeTopicPrefix() {
        return spec.nodeTopicPrefix();
    }

    @Override
    public String jwtSecret() {
        return spec.secret();
    }

    @Override
    public String jwtIssuer() {
        return spec.issuer();
    }

    @Override
    public String jwtAudience() {
        return spec.audience();
    }

    @Override
    public List<Watched> processes() {
        return List.copyOf(processes);
    }

    @Override
    public List<Watched> connectors() {
        return processes.stream().filter(w -> w.name().startsWith("connector")).toList();
    }

    @Override
    public void killConnector(int index) {
        List<Watched> connectors = connectors();
        if (index >= connectors.size()) {
            throw new IllegalStateException("no pid known for connector " + index
                    + "; name it with --monitor connector-" + index + "=<pid>");
        }
        long pid = connectors.get(index).pid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("mode", "existing fabric");
        d.put("urls", spec.urls().toString());
        d.put("kafka bootstrap", spec.bootstrap());
        d.put("requests topic", spec.topic());
        d.put("monitored", spec.monitor().toString());
        return d;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
