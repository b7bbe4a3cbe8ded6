package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.NodeId;
import org.junit.jupiter.api.Test;

class NodeInfoJsonTest {
    private final NodeInfo node = new NodeInfo(NodeId.of("node-1"), "10.0.0.7:8080", 1_700_000_000_000L, 42,
            1_700_000_005_000L);

    @Test
    void writesAFlatObject() {
        assertThat(NodeInfoJson.write(node)).isEqualTo("{\"id\":\"node-1\",\"address\":\"10.0.0.7:8080\","
                + "\"startedAt\":1700000000000,\"sessions\":42,\"heartbeatAt\":1700000005000}");
    }

    @Test
    void readsWhatItWrites() {
        assertThat(NodeInfoJson.read(NodeInfoJson.write(node))).isEqualTo(node);
    }

    @Test
    void ignoresFieldsAddedByNewerNodes() {
        String json = "{\"id\":\"node-1\",\"address\":\"10.0.0.7:8080\",\"startedAt\":1700000000000,"
                + "\"sessions\":42,\"heartbeatAt\":1700000005000,\"zone\":\"eu-west-1a\"}";

        assertThat(NodeInfoJson.read(json)).isEqualTo(node);
    }

    @Test
    void rejectsWhatIsNotANodeInfo() {
        assertThatThrownBy(() -> NodeInfoJson.read("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfoJson.read("{\"address\":\"a:1\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfoJson.read("{\"id\":\"bad id!\",\"address\":\"a:1\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
