package io.pushfabric.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BroadcastSpreadTest {
    /** 4 clients, of which 0..2 were connected when publishing started (the audience). */
    private final DeliveryLedger ledger = new DeliveryLedger(4, 0, 10);

    BroadcastSpreadTest() {
        BitSet audience = new BitSet();
        audience.set(0, 3);
        ledger.setAudience(audience);
    }

    @Test
    void spreadIsFirstToLastCopyOfEachBroadcastThatReachedEveryone() {
        int b = ledger.newBroadcast(1);
        ledger.broadcastAcked(b);
        ledger.receivedBroadcast(1, b, 3_000);
        ledger.receivedBroadcast(0, b, 1_000);
        ledger.receivedBroadcast(3, b, 99_000); // not in the audience: not timed
        ledger.receivedBroadcast(2, b, 6_000);
        ledger.receivedBroadcast(2, b, 50_000); // a duplicate: not timed

        Histogram spread = ledger.broadcastSpread(1);

        assertThat(spread.getTotalCount()).isEqualTo(1);
        assertThat(spread.getMaxValue()).as("6,000 - 1,000 µs").isBetween(4_990L, 5_010L);
    }

    @Test
    void leavesOutBroadcastsStillMissingACopyAndOtherPhases() {
        int incomplete = ledger.newBroadcast(1);
        int otherPhase = ledger.newBroadcast(2);
        ledger.broadcastAcked(incomplete);
        ledger.broadcastAcked(otherPhase);
        for (int c = 0; c < 3; c++) {
            ledger.receivedBroadcast(c, otherPhase, 1_000 + c);
        }
        ledger.receivedBroadcast(0, incomplete, 1_000);
        ledger.receivedBroadcast(1, incomplete, 2_000);

        assertThat(ledger.broadcastSpread(1).getTotalCount()).as("client 2 still misses it").isZero();
        assertThat(ledger.broadcastSpread(2).getTotalCount()).isEqualTo(1);
        assertThat(ledger.broadcastSpread(-1).getTotalCount()).isEqualTo(1);
    }
}
