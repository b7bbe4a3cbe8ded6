package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.liveFrame;
import static io.pushfabric.connector.session.Sessions.toUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.ReceiptMode;
import io.pushfabric.registry.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client acknowledgements: an {@code acked} receipt once per push with receipts on, within a bounded window. */
class SessionAcksTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private final List<Receipt> receipts = new ArrayList<>();
    private final MutableClock clock = new MutableClock();

    private ClientSession session(int ackWindow) {
        ClientSession session = new ClientSession("s-1", ALICE, new RecordingSink(), 10, Sessions.metrics(), 0L,
                new SessionReceipts(ReceiptMode.REQUESTED, receipts::add, NODE, clock, ackWindow));
        session.start("welcome", List.of());
        return session;
    }

    private static Delivery withReceipt(long offset) {
        Delivery d = toUser(ALICE, 3, offset);
        return new Delivery(d.position(), d.request().withReceipt(true).withMessageId("m-" + offset));
    }

    private static void offer(ClientSession session, Delivery delivery) {
        session.offer(delivery, liveFrame(delivery));
    }

    @Test
    void anAckOfAPushWithReceiptsOnGivesOneAckedReceiptAndARepeatNothing() {
        ClientSession session = session(8);
        offer(session, withReceipt(10));

        session.ack(new MessagePosition(3, 10));
        session.ack(new MessagePosition(3, 10));

        assertThat(receipts).containsExactly(Receipt.acked(new MessagePosition(3, 10), ALICE.value(), "m-10",
                clock.millis(), NODE, "s-1"));
    }

    @Test
    void unknownAcksAndAcksOfPushesWithoutReceiptsAreIgnored() {
        ClientSession session = session(8);
        offer(session, toUser(ALICE, 3, 11));

        session.ack(new MessagePosition(3, 11));
        session.ack(new MessagePosition(7, 1234));

        assertThat(receipts).isEmpty();
    }

    @Test
    void theWindowKeepsOnlyTheLatestPushesSoMemoryStaysBounded() {
        ClientSession session = session(2);
        offer(session, withReceipt(1));
        offer(session, withReceipt(2));
        offer(session, withReceipt(3));

        for (long offset = 1; offset <= 3; offset++) {
            session.ack(new MessagePosition(3, offset));
        }

        assertThat(receipts).extracting(r -> r.position().offset()).containsExactly(2L, 3L);
    }

    @Test
    void aPushDroppedBelowTheFenceCannotBeAcknowledgedHere() {
        ClientSession session = session(8);
        session.raiseFence(3, 20);
        offer(session, withReceipt(19));

        session.ack(new MessagePosition(3, 19));

        assertThat(receipts).isEmpty();
    }

    @Test
    void withReceiptsOffNothingIsRememberedOrWritten() {
        ClientSession session = new ClientSession("s-1", ALICE, new RecordingSink(), 10, Sessions.metrics(), 0L,
                SessionReceipts.off(NODE, clock));
        session.start("welcome", List.of());
        offer(session, withReceipt(1));

        session.ack(new MessagePosition(3, 1));

        assertThat(receipts).isEmpty();
    }

    @Test
    void deliveredReceiptCountsTheSessionsOnlyForPushesWithReceiptsOn() {
        SessionReceipts node = new SessionReceipts(ReceiptMode.REQUESTED, receipts::add, NODE, clock, 8);

        node.delivered(withReceipt(5), 2);
        node.delivered(toUser(ALICE, 3, 6), 1);

        assertThat(receipts).containsExactly(Receipt.delivered(new MessagePosition(3, 5), ALICE.value(), "m-5",
                clock.millis(), NODE, 2));
    }

    @Test
    void aDeliveryThatExpiredOnTheWayIsExpiredNamingTheNode() {
        SessionReceipts node = new SessionReceipts(ReceiptMode.REQUESTED, receipts::add, NODE, clock, 8);

        node.expired(withReceipt(5));
        node.expired(toUser(ALICE, 3, 6));

        assertThat(receipts).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Receipt.Status.EXPIRED);
            assertThat(r.node()).isEqualTo(NODE);
        });
    }

    @Test
    void aReplayedMessageGetsTheFlagTheModeGivesIt() {
        SessionReceipts all = new SessionReceipts(ReceiptMode.ALL, receipts::add, NODE, clock, 8);
        SessionReceipts off = new SessionReceipts(ReceiptMode.OFF, receipts::add, NODE, clock, 8);

        assertThat(all.replayed(toUser(ALICE, 3, 1)).request().receipt()).isTrue();
        assertThat(off.replayed(withReceipt(1)).request().receipt()).isFalse();
    }
}
