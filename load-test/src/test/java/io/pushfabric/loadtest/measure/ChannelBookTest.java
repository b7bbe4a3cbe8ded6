package io.pushfabric.loadtest.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.loadtest.measure.DeliveryLedger.Receipt;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ChannelBookTest {
    /** 4 clients, each in 2 of 4 channels: client c in channels 2c mod 4 and 2c+1 mod 4. */
    private final ChannelBook book = new ChannelBook(4, 4, 2, 100);
    private final DeliveryLedger ledger = new DeliveryLedger(4, 0, 0, book);

    @Test
    void spreadsClientsEvenlyOverChannels() {
        assertThat(book.channelsOf(0)).containsExactly("lt:0", "lt:1");
        assertThat(book.channelsOf(1)).containsExactly("lt:2", "lt:3");
        assertThat(book.channelsOf(2)).containsExactly("lt:0", "lt:1");
        assertThat(ChannelBook.NONE.channelsOf(0)).isEmpty();
    }

    @Test
    void expectsOneCopyPerSubscriberInTheAudience() {
        BitSet audience = new BitSet();
        audience.set(0, 4);
        ledger.setAudience(audience);
        int k = ledger.newChannelMessage(0, 1);
        ledger.channelAcked(k);

        assertThat(ledger.phase(1).expected()).isEqualTo(2);
        assertThat(ledger.receivedChannel(0, k, 1_000)).isEqualTo(Receipt.FIRST);
        assertThat(ledger.lost(1)).as("client 2 still misses it").isEqualTo(1);
        assertThat(ledger.receivedChannel(2, k, 5_000)).isEqualTo(Receipt.FIRST);
        assertThat(ledger.lost(-1)).isZero();
        assertThat(ledger.phase(1).settled()).isTrue();
        assertThat(ledger.channelSpread(1).getMaxValue()).as("first to last copy, µs").isBetween(3_990L, 4_010L);
    }

    @Test
    void flagsDuplicatesMisroutesAndChannelOrder() {
        int first = ledger.newChannelMessage(2, 0);
        int second = ledger.newChannelMessage(2, 0);
        ledger.channelAcked(first);
        ledger.channelAcked(second);

        assertThat(ledger.receivedChannel(0, first, 1)).as("client 0 is not in lt:2").isEqualTo(Receipt.MISROUTED);
        assertThat(ledger.receivedChannel(1, second, 1)).isEqualTo(Receipt.FIRST);
        assertThat(ledger.receivedChannel(1, first, 2)).isEqualTo(Receipt.FIRST);
        assertThat(ledger.outOfOrder()).isEqualTo(1);
        assertThat(ledger.receivedChannel(1, first, 3)).isEqualTo(Receipt.DUPLICATE);
        assertThat(ledger.receivedChannel(1, 99, 3)).isEqualTo(Receipt.UNKNOWN);
        assertThat(ledger.misrouted()).isEqualTo(1);
        assertThat(ledger.duplicates()).isEqualTo(1);
    }
}
