package io.pushfabric.connector.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames of one socket on their way from the threads that send them (the node topic's consumer, session
 * and replay threads) to the socket's I/O thread, which writes them. Any thread may add; only the I/O thread
 * takes, so frames go out in the order they were added. Every frame that is waiting when the I/O thread comes
 * round is handed to the writer in one call, which writes them with one flush: a client that has fallen
 * behind gets several frames per write instead of one write each.
 *
 * <p>The outbox never blocks and takes no lock: threads that add may hold a session's lock, and the I/O thread
 * never waits for one.
 *
 * @param <T> a frame
 */
final class SocketOutbox<T> {

    /** Writes frames to the socket; called on its I/O thread only. */
    interface Writer<T> {
        /**
         * @param frames the frames added since the last call, in order; empty only when {@code finish} is set
         * @param finish {@link #finish} was called: write this last, after {@code frames}
         */
        void write(List<T> frames, boolean finish);
    }

    private final Queue<T> frames = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final IoThreadWrites ioThread;
    private final Writer<T> writer;

    SocketOutbox(IoThreadWrites ioThread, Writer<T> writer) {
        this.ioThread = ioThread;
        this.writer = writer;
    }

    /** Queues a frame for the I/O thread. */
    void add(T frame) {
        frames.add(frame);
        schedule();
    }

    /** Asks the writer to finish (close the socket) once it has written every frame added before this call. */
    void finish() {
        finishing.set(true);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            ioThread.schedule(this);
        }
    }

    /** Runs on the I/O thread: hands what is waiting to the writer. */
    void writeQueued() {
        // Cleared before taking: a frame added from now on is either taken below or schedules the next run.
        scheduled.set(false);
        // Read before taking: every frame added before finish() is then in the queue, and goes out before it.
        boolean finish = finishing.getAndSet(false);
        T first = frames.poll();
        if (first == null) {
            if (finish) {
                writer.write(List.of(), true);
            }
            return;
        }
        T next = frames.poll();
        if (next == null) {
            ioThread.wrote(1);
            writer.write(List.of(first), finish);
            return;
        }
        List<T> batch = new ArrayList<>();
        batch.add(first);
        do {
            batch.add(next);
        } while ((next = frames.poll()) != null);
        ioThread.wrote(batch.size());
        writer.write(batch, finish);
    }
}
