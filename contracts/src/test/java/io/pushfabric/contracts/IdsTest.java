package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void messagePositionReadsItsIdBack() {
        assertThat(MessagePosition.parse(new MessagePosition(3, 120).id())).isEqualTo(new MessagePosition(3, 120));
        assertThatThrownBy(() -> MessagePosition.parse("3:120")).hasMessageContaining("'3:120'");
        assertThatThrownBy(() -> MessagePosition.parse("-1")).hasMessageContaining("'-1'");
        assertThatThrownBy(() -> MessagePosition.parse("x-1")).hasMessageContaining("'x-1'");
    }

    @Test
    void userIdAcceptsUpToTheMaximumLength() {
        assertThat(UserId.of("u".repeat(UserId.MAX_LENGTH)).value()).hasSize(UserId.MAX_LENGTH);
        assertThat(UserId.of("alice@example.com").toString()).isEqualTo("alice@example.com");
    }

    @Test
    void userIdRejectsEmptyAndNull() {
        assertThatThrownBy(() -> UserId.of("")).hasMessage("user id must not be empty");
        assertThatThrownBy(() -> UserId.of(null)).hasMessage("user id must not be empty");
    }

    @Test
    void userIdRejectsOverlongValues() {
        assertThatThrownBy(() -> UserId.of("u".repeat(UserId.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user id longer than 256 characters");
    }

    @Test
    void userIdRejectsTheBroadcastKey() {
        assertThatThrownBy(() -> UserId.of(RoutingKeys.BROADCAST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved for broadcast");
    }

    @Test
    void userIdRejectsControlCharactersNamingTheIndex() {
        assertThatThrownBy(() -> UserId.of("ab\ncd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user id contains a control character at index 2");
    }

    @Test
    void nodeIdAcceptsKafkaTopicCharacters() {
        assertThat(NodeId.of("node-1.eu_west").value()).isEqualTo("node-1.eu_west");
        assertThat(NodeId.of("n".repeat(200)).value()).hasSize(200);
    }

    @Test
    void nodeIdRejectsIllegalValuesNamingThem() {
        assertThatThrownBy(() -> NodeId.of("node a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'node a'").hasMessageContaining("[A-Za-z0-9._-]");
        assertThatThrownBy(() -> NodeId.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of("n".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostNameKeepsDotsAndDashes() {
        assertThat(NodeId.fromHostName("ip-10-0-0-1.ec2.internal")).isEqualTo(NodeId.of("ip-10-0-0-1.ec2.internal"));
    }

    @Test
    void hostNameIllegalCharactersAreReplaced() {
        assertThat(NodeId.fromHostName("my host:8080/é")).isEqualTo(NodeId.of("my-host-8080--"));
    }

    @Test
    void emptyHostNameBecomesADefaultNodeId() {
        assertThat(NodeId.fromHostName("")).isEqualTo(NodeId.of("node"));
    }

    @Test
    void messagePositionIdIsPartitionDashOffset() {
        assertThat(new MessagePosition(3, 120).id()).isEqualTo("3-120");
        assertThatThrownBy(() -> new MessagePosition(-1, 0)).hasMessageContaining("partition must be >= 0");
        assertThatThrownBy(() -> new MessagePosition(0, -1)).hasMessageContaining("offset must be >= 0");
    }
}
