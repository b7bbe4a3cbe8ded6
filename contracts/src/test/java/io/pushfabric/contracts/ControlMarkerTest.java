package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlMarkerTest {
    private static final NodeId NODE = NodeId.of("node-a");

    @Test
    void sessionOpenedMarkerSurvivesEncodeAndDecode() {
        ControlMarker marker = ControlMarker.sessionOpened(UserId.of("alice"), NODE);

        assertThat(ControlMarker.decode(marker.encode())).isEqualTo(marker);
    }

    @Test
    void nodeJoinedMarkerSurvivesEncodeAndDecodeWithoutUser() {
        ControlMarker marker = ControlMarker.nodeJoined(NODE);

        ControlMarker decoded = ControlMarker.decode(marker.encode());

        assertThat(decoded).isEqualTo(marker);
        assertThat(decoded.user()).isNull();
        assertThat(new String(marker.encode(), StandardCharsets.UTF_8)).doesNotContain("\"user\"");
    }

    @Test
    void encodedMarkerCarriesTheKindsWireName() {
        String text = new String(ControlMarker.sessionOpened(UserId.of("alice"), NODE).encode(), StandardCharsets.UTF_8);

        assertThat(text).contains("\"control\":\"session-opened\"").contains("\"node\":\"node-a\"");
    }

    @Test
    void sessionOpenedMarkerMustNameItsUser() {
        assertThatThrownBy(() -> new ControlMarker(ControlMarker.Kind.SESSION_OPENED, null, NODE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names its user");
    }

    @Test
    void unknownKindIsRejectedByName() {
        byte[] value = "{\"v\":1,\"control\":\"node-left\",\"node\":\"node-a\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ControlMarker.decode(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown control marker 'node-left'");
    }

    @Test
    void garbageIsABadMarker() {
        assertThatThrownBy(() -> ControlMarker.decode("{nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad control marker");
    }

    @Test
    void wireNamesMapBackToKinds() {
        for (ControlMarker.Kind kind : ControlMarker.Kind.values()) {
            assertThat(ControlMarker.Kind.fromWire(kind.wire())).isEqualTo(kind);
        }
    }
}
