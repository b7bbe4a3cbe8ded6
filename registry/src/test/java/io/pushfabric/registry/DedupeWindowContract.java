package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.registry.DedupeWindow.Claim;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DedupeWindow} does. A subclass supplies a fresh, empty window per test and a way to let
 * a window run out: a fake clock moved forward, or a short real TTL waited for.
 */
public abstract class DedupeWindowContract {
    /** Long enough never to lapse during a test. */
    protected static final Duration WINDOW = Duration.ofMinutes(5);
    protected static final MessagePosition P0_1 = new MessagePosition(0, 1);
    protected static final MessagePosition P0_2 = new MessagePosition(0, 2);
    protected static final MessagePosition P1_1 = new MessagePosition(1, 1);
    protected static final String ALICE = "alice";
    protected static final String BOB = "bob";

    protected DedupeWindow window;

    /** A window that sees no ids of any other test. */
    protected abstract DedupeWindow newWindow();

    /** A window this test can let lapse quickly (short for real Redis; any value for a fake clock). */
    protected abstract Duration shortWindow();

    /** Lets {@code window} run out, then returns once {@code condition} holds (or fails the test). */
    protected abstract void lapse(Duration window, BooleanSupplier condition);

    @BeforeEach
    void createWindow() {
        window = newWindow();
    }

    @Test
    void firstClaimWins() {
        assertThat(window.claim(List.of(new Claim(ALICE, "m1", P0_1)), WINDOW)).isEmpty();

        assertThat(window.claim(List.of(new Claim(ALICE, "m1", P1_1)), WINDOW)).containsExactly(P1_1);
        assertThat(window.owner(ALICE, "m1")).isEqualTo(P0_1);
    }

    @Test
    void repeatFromTheOwningPositionIsNotADuplicate() {
        window.claim(List.of(new Claim(ALICE, "m1", P0_1)), WINDOW);

        assertThat(window.claim(List.of(new Claim(ALICE, "m1", P0_1)), WINDOW)).isEmpty();
        assertThat(window.owner(ALICE, "m1")).isEqualTo(P0_1);
    }

    @Test
    void claimsInOneBatchBehaveAsIfMadeInOrder() {
        var duplicates = window.claim(List.of(
                new Claim(ALICE, "m1", P0_1),
                new Claim(ALICE, "m1", P0_2),
                new Claim(ALICE, "m2", P1_1),
                new Claim(ALICE, "m1", P0_1)), WINDOW);

        assertThat(duplicates).containsExactly(P0_2);
        assertThat(window.owner(ALICE, "m1")).isEqualTo(P0_1);
        assertThat(window.owner(ALICE, "m2")).isEqualTo(P1_1);
    }

    @Test
    void differentIdsDoNotCollide() {
        assertThat(window.claim(List.of(new Claim(ALICE, "m1", P0_1), new Claim(ALICE, "m2", P0_2)), WINDOW)).isEmpty();
        assertThat(window.claim(List.of(new Claim(ALICE, "m-{1}|x", P1_1)), WINDOW)).isEmpty();
        assertThat(window.owner(ALICE, "m-{1}|x")).isEqualTo(P1_1);
    }

    @Test
    void emptyBatchHasNoDuplicates() {
        assertThat(window.claim(List.of(), WINDOW)).isEmpty();
    }

    @Test
    void ownerOfAnUnseenIdIsNull() {
        assertThat(window.owner(ALICE, "never-seen")).isNull();
    }

    @Test
    void expiryFreesTheId() {
        window.claim(List.of(new Claim(ALICE, "m1", P0_1)), shortWindow());

        lapse(shortWindow(), () -> window.owner(ALICE, "m1") == null);

        assertThat(window.claim(List.of(new Claim(ALICE, "m1", P0_2)), WINDOW)).isEmpty();
        assertThat(window.owner(ALICE, "m1")).isEqualTo(P0_2);
    }

    @Test
    void claimRejectsWindowUnderOneMillisecond() {
        assertThatThrownBy(() -> window.claim(List.of(new Claim(ALICE, "m1", P0_1)), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
        assertThat(window.owner(ALICE, "m1")).isNull();
    }

    @Test
    void sameIdForAnotherRoutingKeyIsAnotherMessage() {
        assertThat(window.claim(List.of(
                new Claim(ALICE, "digest-2026-11-27", P0_1),
                new Claim(BOB, "digest-2026-11-27", P1_1),
                new Claim("*", "digest-2026-11-27", P0_2)), WINDOW)).isEmpty();

        assertThat(window.claim(List.of(new Claim(ALICE, "digest-2026-11-27", P0_2)), WINDOW)).containsExactly(P0_2);
        assertThat(window.owner(ALICE, "digest-2026-11-27")).isEqualTo(P0_1);
        assertThat(window.owner(BOB, "digest-2026-11-27")).isEqualTo(P1_1);
        assertThat(window.owner("*", "digest-2026-11-27")).isEqualTo(P0_2);
        assertThat(window.owner("carol", "digest-2026-11-27")).isNull();
    }

    @Test
    void routingKeyAndIdDoNotBleedIntoEachOther() {
        // "a:b" + "c" and "a" + "b:c" must stay two different pairs, whatever the separator of a layout.
        assertThat(window.claim(List.of(new Claim("a:b", "c", P0_1), new Claim("a", "b:c", P1_1),
                new Claim("a}", "{b", P0_2)), WINDOW)).isEmpty();
        assertThat(window.owner("a:b", "c")).isEqualTo(P0_1);
        assertThat(window.owner("a", "b:c")).isEqualTo(P1_1);
    }
}
