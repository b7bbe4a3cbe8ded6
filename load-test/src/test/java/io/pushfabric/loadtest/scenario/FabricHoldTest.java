package io.pushfabric.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FabricHoldTest {
    @Test
    void readsOpenSessionsFromTheConnectorsMetrics() {
        String text = """
                # HELP pushfabric_connector_sessions Open WebSocket sessions
                # TYPE pushfabric_connector_sessions gauge
                pushfabric_connector_sessions 16987.0
                pushfabric_connector_sessions_opened_total 17002.0
                """;

        assertThat(FabricHold.sessionsIn(text)).isEqualTo(16987);
    }

    @Test
    void saysSoWhenTheGaugeIsMissing() {
        assertThat(FabricHold.sessionsIn("pushfabric_connector_sessions_opened_total 3.0\n")).isEqualTo(-1);
    }
}
