package io.pushfabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.connector.ConnectorConfig;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.config.ServiceEnv;
import io.pushfabric.dispatcher.DispatcherConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link ServiceEnv} writes is what the connector and dispatcher configurations read. */
class ServiceEnvTest {
    private static final String SECRET = "a-test-secret-of-at-least-32-bytes-long";
    private final ServiceEnv common = ServiceEnv.empty()
            .kafkaBootstrap("127.0.0.1:19092")
            .redis("redis://127.0.0.1:16379", "t:")
            .jwtSecret(SECRET)
            .topics(Topics.withBase("base"))
            .requestPartitions(6)
            .topicReplication(1);

    @Test
    void connectorReadsEverySetting() {
        ConnectorConfig c = ConnectorConfig.fromEnv(common.nodeId("node-x").host("127.0.0.1").port(18081)
                .advertisedAddress("127.0.0.1:18081").ioThreads(2).toMap());

        assertThat(c.nodeId()).isEqualTo(NodeId.of("node-x"));
        assertThat(c.advertisedAddress()).isEqualTo("127.0.0.1:18081");
        assertThat(c.webSocket().host()).isEqualTo("127.0.0.1");
        assertThat(c.webSocket().port()).isEqualTo(18081);
        assertThat(c.webSocket().ioThreads()).isEqualTo(2);
        assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(c.kafka().topics()).isEqualTo(Topics.withBase("base"));
        assertThat(c.redis().address()).isEqualTo("redis://127.0.0.1:16379");
        assertThat(c.redis().keyPrefix()).isEqualTo("t:");
        assertThat(c.auth().secret()).isEqualTo(SECRET);
        assertThat(c.topicSettings().requestPartitions()).isEqualTo(6);
        assertThat(c.topicSettings().replication()).isEqualTo(1);
    }

    @Test
    void dispatcherReadsEverySetting() {
        DispatcherConfig d = DispatcherConfig.fromEnv(common.dispatcherGroup("g").httpPort(18090).toMap());

        assertThat(d.groupId()).isEqualTo("g");
        assertThat(d.httpPort()).isEqualTo(18090);
        assertThat(d.kafka().topics()).isEqualTo(Topics.withBase("base"));
        assertThat(d.topicSettings().requestPartitions()).isEqualTo(6);
        assertThat(d.redis().keyPrefix()).isEqualTo("t:");
    }

    @Test
    void extraVariablesOverrideAndNothingIsShared() {
        ServiceEnv withNode = common.nodeId("a");

        assertThat(common.toMap()).doesNotContainKey("PUSH_NODE_ID");
        assertThat(withNode.withAll(Map.of("PUSH_NODE_ID", "b", "PUSH_SEND_QUEUE_LIMIT", "5000")).toMap())
                .containsEntry("PUSH_NODE_ID", "b").containsEntry("PUSH_SEND_QUEUE_LIMIT", "5000");
    }

    @Test
    void badValuesFailNamingTheSettingAndTheSecretIsNotShown() {
        assertThatThrownBy(() -> common.port(70_000)).hasMessageContaining("port");
        assertThatThrownBy(() -> common.requestPartitions(0)).hasMessageContaining("requestPartitions");
        assertThatThrownBy(() -> common.nodeId(null)).hasMessageContaining("PUSH_NODE_ID");
        assertThat(common.toString()).doesNotContain(SECRET).contains("<redacted>");
    }
}
