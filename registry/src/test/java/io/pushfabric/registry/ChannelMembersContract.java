package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ChannelMembers} does. A subclass supplies a fresh, empty store per test. */
public abstract class ChannelMembersContract {
    protected static final NodeId NODE_A = NodeId.of("node-a");
    protected static final NodeId NODE_B = NodeId.of("node-b");
    protected static final Set<NodeId> BOTH = Set.of(NODE_A, NODE_B);
    protected static final ChannelName LOBBY = ChannelName.of("chat:lobby");
    protected static final ChannelName NEWS = ChannelName.of("news");
    protected static final UserId ALICE = UserId.of("alice");
    protected static final UserId BOB = UserId.of("bob");

    protected ChannelMembers members;

    protected abstract ChannelMembers newMembers();

    @BeforeEach
    void createMembers() {
        members = newMembers();
    }

    @Test
    void countsSessionsPerUserOverTheLiveNodes() {
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_B, ALICE);
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_B, BOB);
        members.join(NEWS, NODE_A, BOB);

        assertThat(members.membersOf(LOBBY, BOTH, 10).sessions()).isEqualTo(Map.of(ALICE, 3, BOB, 1));
        assertThat(members.membersOf(LOBBY, BOTH, 10).truncated()).isFalse();
        assertThat(members.membersOf(LOBBY, Set.of(NODE_A), 10).sessions()).as("node-b is not live")
                .isEqualTo(Map.of(ALICE, 2));
        assertThat(members.membersOf(ChannelName.of("chat:empty"), BOTH, 10).sessions()).isEmpty();
    }

    @Test
    void leaveCountsDownAndTheLastLeaveRemovesTheUser() {
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_A, BOB);

        members.leave(LOBBY, NODE_A, ALICE);
        members.leave(LOBBY, NODE_A, BOB);
        assertThat(members.membersOf(LOBBY, BOTH, 10).sessions()).isEqualTo(Map.of(ALICE, 1));
        members.leave(LOBBY, NODE_A, ALICE);
        members.leave(LOBBY, NODE_A, ALICE);
        assertThat(members.membersOf(LOBBY, BOTH, 10).sessions()).isEmpty();
        members.join(LOBBY, NODE_A, ALICE);
        assertThat(members.membersOf(LOBBY, BOTH, 10).sessions()).as("a leave too many does not go negative")
                .isEqualTo(Map.of(ALICE, 1));
    }

    @Test
    void theAnswerIsCappedAtTheLimitAndSaysSo() {
        for (int i = 0; i < 30; i++) {
            members.join(LOBBY, i % 2 == 0 ? NODE_A : NODE_B, UserId.of("user-" + i));
        }
        ChannelMembership capped = members.membersOf(LOBBY, BOTH, 7);
        assertThat(capped.sessions()).hasSize(7);
        assertThat(capped.truncated()).isTrue();
        ChannelMembership exact = members.membersOf(LOBBY, BOTH, 30);
        assertThat(exact.sessions()).hasSize(30);
        assertThat(exact.truncated()).isFalse();
        assertThat(members.membersOf(LOBBY, Set.of(NODE_A), 15).truncated()).as("15 users on node-a fit").isFalse();
    }

    @Test
    void removeAllOnRemovesOnlyThatNodesMembers() {
        members.join(LOBBY, NODE_A, ALICE);
        members.join(LOBBY, NODE_B, ALICE);
        members.join(LOBBY, NODE_A, BOB);
        members.join(NEWS, NODE_A, BOB);

        members.removeAllOn(NODE_A, List.of(LOBBY, NEWS));

        assertThat(members.membersOf(LOBBY, BOTH, 10).sessions()).isEqualTo(Map.of(ALICE, 1));
        assertThat(members.membersOf(NEWS, BOTH, 10).sessions()).isEmpty();
    }
}
