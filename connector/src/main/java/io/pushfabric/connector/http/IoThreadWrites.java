package io.pushfabric.connector.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of one I/O thread that have frames to write, handed to that thread in bulk: the first socket
 * that gets frames posts one task, and every socket of the thread that gets frames before the task runs joins
 * it. A broadcast to thousands of sockets thus costs each I/O thread a handful of tasks and wake-ups instead
 * of one per socket. One task writes at most {@link #MAX_SOCKETS_PER_TASK} sockets, then posts the rest
 * anew, so the thread still reads and serves its selector while a long fan-out is being handed out.
 */
final class IoThreadWrites {
    private static final Logger LOG = LoggerFactory.getLogger(IoThreadWrites.class);
    static final int MAX_SOCKETS_PER_TASK = 1_024;

    private final Executor ioThread;
    private final IntConsumer framesPerWrite;
    private final Queue<SocketOutbox<?>> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean posted = new AtomicBoolean();
    private final Runnable task = this::writeReady;

    /** @param framesPerWrite told how many frames each socket's write took (a metric) */
    IoThreadWrites(Executor ioThread, IntConsumer framesPerWrite) {
        this.ioThread = ioThread;
        this.framesPerWrite = framesPerWrite;
    }

    /** The outbox has frames: it is written by the next task of this thread, posted now unless one is pending. */
    void schedule(SocketOutbox<?> outbox) {
        ready.add(outbox);
        post();
    }

    private void post() {
        if (!posted.compareAndSet(false, true)) {
            return;
        }
        try {
            ioThread.execute(task);
        } catch (RejectedExecutionException e) {
            // The server is stopping and its sockets with it: what they still had to write is lost with them.
            posted.set(false);
            LOG.debug("I/O thread gone; {} sockets not written", ready.size());
        }
    }

    /** A socket's writer took {@code frames} frames in one write. */
    void wrote(int frames) {
        framesPerWrite.accept(frames);
    }

    /** Runs on the I/O thread. */
    private void writeReady() {
        // Cleared first: a socket scheduled from now on either is taken by this run or posts the next one.
        posted.set(false);
        for (int n = 0; n < MAX_SOCKETS_PER_TASK; n++) {
            SocketOutbox<?> outbox = ready.poll();
            if (outbox == null) {
                return;
            }
            try {
                outbox.writeQueued();
            } catch (RuntimeException e) {
                // One socket's failure must not leave the others of this thread unwritten.
                LOG.warn("Writing to a socket failed: {}", e.toString());
            }
        }
        if (!ready.isEmpty()) {
            post();
        }
    }
}
