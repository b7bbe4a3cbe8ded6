package io.pushfabric.loadtest.fabric;

import io.pushfabric.loadtest.measure.Watched;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The pushfabric under test: one the load generator started, or one that was already running. */
public interface Fabric extends AutoCloseable {

    /** Where clients connect: one {@code ws://.../ws} URL per connector (or a front / load balancer). */
    List<URI> webSocketUrls();

    /** Kafka bootstrap servers for publishing. */
    String bootstrap();

    /** The {@code push-requests} topic. */
    String requestsTopic();

    /** The dispatchers' consumer group (for their backlog). */
    String dispatcherGroup();

    /** Prefix of the node topics ({@code push.node.} by default). */
    String nodeTopicPrefix();

    /** Shared JWT secret, and the issuer and audience tokens must carry (null when not required). */
    String jwtSecret();

    String jwtIssuer();

    String jwtAudience();

    /** The service and infrastructure processes whose CPU and memory are sampled. */
    List<Watched> processes();

    /** The connector processes among {@link #processes()}, in URL order (empty when unknown). */
    List<Watched> connectors();

    /** Kills the process behind {@code webSocketUrls().get(index)} with SIGKILL. */
    void killConnector(int index);

    /** What the report says about this fabric: mode, versions, JVM options, where the code came from. */
    Map<String, String> describe();

    @Override
    void close();
}
