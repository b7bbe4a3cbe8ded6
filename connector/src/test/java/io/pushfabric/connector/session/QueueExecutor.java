package io.pushfabric.connector.session;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that runs nothing until the test calls {@link #runAll()}, on the test's thread. */
final class QueueExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs queued tasks, including those they queue, until none is left. @return how many ran */
    int runAll() {
        int ran = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }
}
