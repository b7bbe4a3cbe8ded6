package io.pushfabric.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How frames reach a socket's I/O thread: grouped per thread, several per write, in order, close last. */
class SocketOutboxTest {

    /** An I/O thread that runs nothing until the test says so, on the test's thread. */
    private static final class PausedThread implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    /** A socket's writer that keeps each call: the frames it got together, and whether it was to close after. */
    private static final class Socket implements SocketOutbox.Writer<String> {
        final List<List<String>> writes = new ArrayList<>();
        final List<Boolean> finishes = new ArrayList<>();

        @Override
        public synchronized void write(List<String> frames, boolean finish) {
            writes.add(List.copyOf(frames));
            finishes.add(finish);
        }

        synchronized List<String> all() {
            return writes.stream().flatMap(List::stream).toList();
        }

        synchronized boolean finished() {
            return finishes.contains(true);
        }
    }

    private final PausedThread threadA = new PausedThread();
    private final PausedThread threadB = new PausedThread();
    private final List<Integer> framesPerWrite = new ArrayList<>();
    private final IoThreadWrites writesA = new IoThreadWrites(threadA, framesPerWrite::add);
    private final IoThreadWrites writesB = new IoThreadWrites(threadB, framesPerWrite::add);

    @Test
    void aFanOutPostsOneTaskPerIoThreadNotOnePerSocket() {
        List<Socket> sockets = new ArrayList<>();
        List<SocketOutbox<String>> outboxes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket socket = new Socket();
            sockets.add(socket);
            outboxes.add(new SocketOutbox<>(i % 2 == 0 ? writesA : writesB, socket));
        }

        outboxes.forEach(o -> o.add("broadcast"));

        assertThat(threadA.tasks).hasSize(1);
        assertThat(threadB.tasks).hasSize(1);
        threadA.runAll();
        threadB.runAll();
        assertThat(sockets).allSatisfy(s -> assertThat(s.writes).containsExactly(List.of("broadcast")));
    }

    @Test
    void framesThatPiledUpForOneSocketAreWrittenTogetherInOrder() {
        Socket socket = new Socket();
        SocketOutbox<String> outbox = new SocketOutbox<>(writesA, socket);

        outbox.add("1");
        outbox.add("2");
        outbox.add("3");
        threadA.runAll();

        assertThat(socket.writes).containsExactly(List.of("1", "2", "3"));
        assertThat(socket.finishes).containsExactly(false);
        assertThat(framesPerWrite).as("counted as one write of three").containsExactly(3);
    }

    @Test
    void aFrameAddedWhileATaskIsPendingJoinsItAndOneAddedLaterPostsAnother() {
        Socket socket = new Socket();
        SocketOutbox<String> outbox = new SocketOutbox<>(writesA, socket);

        outbox.add("1");
        outbox.add("2");
        assertThat(threadA.tasks).hasSize(1);
        threadA.runAll();
        outbox.add("3");

        assertThat(threadA.tasks).hasSize(1);
        threadA.runAll();
        assertThat(socket.writes).containsExactly(List.of("1", "2"), List.of("3"));
    }

    @Test
    void aFrameAddedWhileTheSocketIsBeingWrittenGoesOutInTheNextWrite() {
        List<List<String>> writes = new ArrayList<>();
        @SuppressWarnings("unchecked")
        SocketOutbox<String>[] self = new SocketOutbox[1];
        self[0] = new SocketOutbox<>(writesA, (frames, finish) -> {
            writes.add(List.copyOf(frames));
            if (frames.contains("1")) {
                self[0].add("2"); // a write completed and a replay went on, on this very thread
            }
        });

        self[0].add("1");
        threadA.runAll();

        assertThat(writes).containsExactly(List.of("1"), List.of("2"));
    }

    @Test
    void theCloseGoesOutAfterEveryFrameSentBeforeIt() {
        Socket socket = new Socket();
        SocketOutbox<String> outbox = new SocketOutbox<>(writesA, socket);

        outbox.add("1");
        outbox.add("2");
        outbox.finish();
        threadA.runAll();

        assertThat(socket.writes).containsExactly(List.of("1", "2"));
        assertThat(socket.finishes).containsExactly(true);
    }

    @Test
    void aCloseWithNothingQueuedIsWrittenAlone() {
        Socket socket = new Socket();
        SocketOutbox<String> outbox = new SocketOutbox<>(writesA, socket);
        outbox.add("1");
        threadA.runAll();

        outbox.finish();
        threadA.runAll();

        assertThat(socket.writes).containsExactly(List.of("1"), List.of());
        assertThat(socket.finishes).containsExactly(false, true);
    }

    @Test
    void oneTaskWritesABoundedNumberOfSocketsAndPostsTheRest() {
        int count = IoThreadWrites.MAX_SOCKETS_PER_TASK + 1;
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            sockets.add(socket);
            new SocketOutbox<>(writesA, socket).add("broadcast");
        }

        threadA.tasks.poll().run();

        assertThat(sockets.stream().filter(s -> !s.writes.isEmpty())).hasSize(IoThreadWrites.MAX_SOCKETS_PER_TASK);
        assertThat(threadA.tasks).as("the rest, posted anew").hasSize(1);
        threadA.runAll();
        assertThat(sockets).allSatisfy(s -> assertThat(s.writes).hasSize(1));
    }

    @Test
    void aSocketWhoseWriteFailsDoesNotStopTheOthersOfItsThread() {
        Socket healthy = new Socket();
        new SocketOutbox<String>(writesA, (frames, finish) -> {
            throw new IllegalStateException("broken pipe");
        }).add("1");
        new SocketOutbox<>(writesA, healthy).add("1");

        threadA.runAll();

        assertThat(healthy.writes).containsExactly(List.of("1"));
    }

    @Test
    void framesFromManyThreadsReachTheSocketOnceEachInTheOrderEachThreadSentThem() throws Exception {
        ExecutorService ioThread = Executors.newSingleThreadExecutor();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            Socket socket = new Socket();
            SocketOutbox<String> outbox = new SocketOutbox<>(new IoThreadWrites(ioThread, n -> { }), socket);
            int perSender = 20_000;
            CountDownLatch done = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                int sender = t;
                senders.execute(() -> {
                    for (int i = 0; i < perSender; i++) {
                        outbox.add(sender + ":" + i);
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            outbox.finish();
            await().atMost(Duration.ofSeconds(30))
                    .until(socket::finished);

            List<String> all = socket.all();
            assertThat(all).hasSize(4 * perSender);
            for (int t = 0; t < 4; t++) {
                String prefix = t + ":";
                assertThat(all.stream().filter(f -> f.startsWith(prefix)).toList())
                        .as("sender %d's frames, in order", t)
                        .containsExactlyElementsOf(IntStream.range(0, perSender)
                                .mapToObj(i -> prefix + i).toList());
            }
            assertThat(socket.finishes.subList(0, socket.finishes.size() - 1)).doesNotContain(true);
        } finally {
            senders.shutdownNow();
            ioThread.shutdownNow();
        }
    }
}
