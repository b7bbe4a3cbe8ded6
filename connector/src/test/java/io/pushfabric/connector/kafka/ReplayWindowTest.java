package io.pushfabric.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final long ENTRY = new ReplayWindow.Entry(0, "alice", new byte[36]).bytes(); // 206 bytes

    private static ReplayWindow.Chunk read(long from, long to) {
        List<ReplayWindow.Entry> entries = LongStream.range(from, to)
                .mapToObj(o -> new ReplayWindow.Entry(o, "alice", new byte[36])).toList();
        return new ReplayWindow.Chunk(from, to, entries, entries.size() * ENTRY);
    }

    private static List<Long> offsets(ReplayWindow.View view) {
        return view.chunks().stream().flatMap(c -> c.entries().stream()).map(ReplayWindow.Entry::offset).toList();
    }

    private final ReplayWindow window = new ReplayWindow(100 * ENTRY * 2, 2, 60_000);

    @Test
    void holdsNothingUntilAReadIsKept() {
        assertThat(window.view(0, 10, 0)).isEqualTo(new ReplayWindow.View(10, 10, List.of()));
    }

    @Test
    void aViewSaysWhereTheWindowStartsAndEndsAndLeavesOutChunksBeforeTheReplay() {
        ReplayWindow large = new ReplayWindow(10_000 * ENTRY, 1, 60_000);
        large.add(0, read(10, 310), 0);
        large.add(0, read(310, 400), 0); // the last chunk holds 300 entries: a chunk of its own

        ReplayWindow.View view = large.view(0, 350, 0);

        assertThat(offsets(view)).containsExactlyElementsOf(LongStream.range(310, 400).boxed().toList());
        assertThat(view.start()).isEqualTo(10);
        assertThat(view.end()).isEqualTo(400);
        assertThat(offsets(large.view(0, 5, 0))).hasSize(390);
        assertThat(large.view(0, 400, 0)).isEqualTo(new ReplayWindow.View(10, 400, List.of()));
        assertThat(large.view(1, 15, 0)).as("another partition").isEqualTo(new ReplayWindow.View(15, 15, List.of()));
    }

    @Test
    void aReadThatEndsWhereTheWindowStartsJoinsItWhenItFits() {
        window.add(0, read(80, 150), 0);
        window.add(0, read(60, 80), 0);

        assertThat(offsets(window.view(0, 0, 0))).containsExactlyElementsOf(LongStream.range(60, 150).boxed().toList());

        window.add(0, read(40, 60), 0); // 110 entries > the share of 100: not kept, the newer ones stay
        window.add(0, read(45, 55), 0); // not next to the window: not kept

        assertThat(window.view(0, 0, 0).start()).isEqualTo(60);
        assertThat(window.bytes()).isEqualTo(90 * ENTRY);
    }

    @Test
    void aReadThatGoesPastTheEndExtendsTheWindowWithOnlyWhatIsNew() {
        window.add(0, read(10, 20), 0);
        window.add(0, read(15, 30), 0);

        ReplayWindow.View view = window.view(0, 10, 0);

        assertThat(offsets(view)).containsExactlyElementsOf(LongStream.range(10, 30).boxed().toList());
        assertThat(view.end()).isEqualTo(30);
        assertThat(window.bytes()).isEqualTo(20 * ENTRY);
    }

    @Test
    void aReadWithNothingNewerKeepsTheWindowAsItWas() {
        window.add(0, read(10, 20), 0);
        window.add(0, read(5, 15), 0);
        window.add(0, read(12, 18), 0);

        ReplayWindow.View view = window.view(0, 10, 0);

        assertThat(offsets(view)).containsExactlyElementsOf(LongStream.range(10, 20).boxed().toList());
        assertThat(view.start()).isEqualTo(10);
    }

    @Test
    void aNewerReadAfterAGapOrCoveringTheWindowReplacesIt() {
        window.add(0, read(10, 20), 0);
        window.add(0, read(25, 30), 0);

        assertThat(window.view(0, 15, 0).start()).as("the old stretch is gone").isEqualTo(25);
        assertThat(offsets(window.view(0, 15, 0))).containsExactly(25L, 26L, 27L, 28L, 29L);

        window.add(0, read(0, 40), 0);

        assertThat(offsets(window.view(0, 0, 0))).hasSize(40);
        assertThat(window.bytes()).isEqualTo(40 * ENTRY);
    }

    @Test
    void shortReadsJoinTheLastChunkSoTheWindowStaysAFewChunks() {
        ReplayWindow large = new ReplayWindow(10_000 * ENTRY, 1, 60_000);
        for (long o = 0; o < 2_000; o++) {
            large.add(0, read(o, o + 1), 0);
            large.add(0, new ReplayWindow.Chunk(o + 1, o + 1, List.of(), 0), 0); // nothing new: not a chunk
        }
        large.add(0, new ReplayWindow.Chunk(2_000, 2_010, List.of(), 0), 0); // only markers: joins, no chunk

        ReplayWindow.View view = large.view(0, 0, 0);

        assertThat(offsets(view)).containsExactlyElementsOf(LongStream.range(0, 2_000).boxed().toList());
        assertThat(view.chunks()).as("joined while the last one held fewer than 256").hasSize(8);
        assertThat(view.end()).isEqualTo(2_010);
    }

    @Test
    void aPartitionKeepsItsShareDroppingItsOldestReadsFirst() {
        window.add(0, read(0, 60), 0);
        window.add(0, read(60, 120), 0); // 120 entries > the share of 100: the first read goes

        assertThat(offsets(window.view(0, 0, 0))).containsExactlyElementsOf(LongStream.range(60, 120).boxed().toList());
        assertThat(window.bytes()).isEqualTo(60 * ENTRY);
    }

    @Test
    void aReadLargerThanTheShareIsNotKept() {
        window.add(0, read(0, 101), 0);

        assertThat(window.view(0, 0, 0)).isEqualTo(new ReplayWindow.View(0, 0, List.of()));
        assertThat(window.bytes()).isZero();
    }

    @Test
    void aWindowOfNoBytesKeepsNothingNotEvenAReadWithoutRecords() {
        ReplayWindow off = new ReplayWindow(0, 12, 60_000);
        off.add(0, new ReplayWindow.Chunk(10, 20, List.of(), 0), 0);

        assertThat(off.view(0, 10, 0)).isEqualTo(new ReplayWindow.View(10, 10, List.of()));
    }

    @Test
    void emptiesWhenNoReplayUsedItForTheIdleTime() {
        window.add(0, read(10, 20), 1_000);
        window.view(0, 10, 30_000);

        window.expire(90_000);
        assertThat(window.bytes()).as("used 60 s ago, not more").isEqualTo(10 * ENTRY);

        window.expire(90_001);
        assertThat(window.bytes()).isZero();
        assertThat(window.view(0, 10, 90_001)).isEqualTo(new ReplayWindow.View(10, 10, List.of()));
    }

    /**
     * A chunk selects the records of some keys in a range: through its index for a few keys, one record after the
     * other for many; either way exactly the records a plain filter finds, each key's in offset order.
     */
    @Test
    void aChunkSelectsTheRecordsOfTheKeysAskedInARangeWhicheverWayItReadsThem() {
        List<ReplayWindow.Entry> entries = LongStream.range(100, 400)
                .mapToObj(o -> new ReplayWindow.Entry(o, "user-" + (o % 50), new byte[8])).toList();
        ReplayWindow.Chunk chunk = new ReplayWindow.Chunk(100, 400, entries, entries.size() * ENTRY);
        Set<String> few = Set.of("user-3", "user-17", "nobody");
        Set<String> many = IntStream.range(0, 60).mapToObj(u -> "user-" + u).collect(Collectors.toSet());

        for (Set<String> keys : List.of(few, many)) {
            List<ReplayWindow.Entry> selected = chunk.select(keys, 150, 333);
            assertThat(selected).containsExactlyInAnyOrderElementsOf(entries.stream()
                    .filter(e -> e.offset() >= 150 && e.offset() < 333 && keys.contains(e.key())).toList());
            for (String key : keys) {
                assertThat(selected.stream().filter(e -> e.key().equals(key)).map(ReplayWindow.Entry::offset).toList())
                        .isSorted();
            }
        }
        assertThat(chunk.count(150, 333)).isEqualTo(183);
        assertThat(chunk.count(0, 100)).isZero();
        assertThat(chunk.count(399, 1_000)).isEqualTo(1);
    }
}
