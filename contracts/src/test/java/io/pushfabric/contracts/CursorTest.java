package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void formatThenParseGivesTheSameCursor() {
        Cursor cursor = new Cursor("8Zx1qv3ZRtu0n7S8hZ1r2A", Map.of(3, 121L, 0, 58L));

        assertThat(Cursor.parse(cursor.format())).isEqualTo(cursor);
    }

    @Test
    void parseThenFormatListsPartitionsInOrder() {
        assertThat(Cursor.parse("topic,3:121,0:58").format()).isEqualTo("topic,0:58,3:121");
    }

    @Test
    void cursorWithoutPositionsIsJustTheTopicId() {
        Cursor cursor = Cursor.parse("topic");

        assertThat(cursor.positions()).isEmpty();
        assertThat(cursor.format()).isEqualTo("topic");
    }

    @Test
    void afterMovesToTheNextOffset() {
        Cursor cursor = Cursor.parse("t,3:121");

        assertThat(cursor.after(new MessagePosition(3, 121)).positions()).containsEntry(3, 122L);
        assertThat(cursor.after(new MessagePosition(3, 500)).positions()).containsEntry(3, 501L);
    }

    @Test
    void afterAddsAPartitionItHasNotSeen() {
        Cursor cursor = Cursor.parse("t,3:121").after(new MessagePosition(0, 9));

        assertThat(cursor.positions()).containsExactly(entry(0, 10L), entry(3, 121L));
    }

    @Test
    void afterNeverMovesBackwards() {
        Cursor cursor = Cursor.parse("t,3:121");

        assertThat(cursor.after(new MessagePosition(3, 50))).isSameAs(cursor);
        assertThat(cursor.after(new MessagePosition(3, 120))).isSameAs(cursor);
    }

    @Test
    void positionsCannotBeChangedFromOutside() {
        Cursor cursor = Cursor.parse("t,3:121");

        assertThatThrownBy(() -> cursor.positions().put(4, 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyTextIsNamed() {
        assertThatThrownBy(() -> Cursor.parse("  ")).hasMessage("empty cursor");
        assertThatThrownBy(() -> Cursor.parse(null)).hasMessage("empty cursor");
    }

    @Test
    void overlongTextIsNamed() {
        assertThatThrownBy(() -> Cursor.parse("t," + "1:1,".repeat(1100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor longer than 4096 characters");
    }

    @Test
    void entryWithoutColonIsNamed() {
        assertThatThrownBy(() -> Cursor.parse("t,3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor entry '3' is not <partition>:<offset>");
    }

    @Test
    void entryWithTwoColonsIsNamed() {
        assertThatThrownBy(() -> Cursor.parse("t,3:1:2"))
                .hasMessage("cursor entry '3:1:2' is not <partition>:<offset>");
    }

    @Test
    void nonNumericEntryIsNamed() {
        assertThatThrownBy(() -> Cursor.parse("t,a:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor entry 'a:1' is not numeric");
    }

    @Test
    void emptyTopicIdIsNamed() {
        assertThatThrownBy(() -> Cursor.parse(",3:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic id must be 1-64 characters");
    }

    @Test
    void textThatIsNoTopicIdIsRefusedNotTakenForAnotherTopic() {
        assertThatThrownBy(() -> Cursor.parse("garbage!!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic id must be 1-64 characters");
    }

    @Test
    void negativeOffsetIsNamed() {
        assertThatThrownBy(() -> Cursor.parse("t,3:-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative partition or offset");
    }
}
