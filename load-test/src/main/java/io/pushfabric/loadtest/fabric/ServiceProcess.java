package io.pushfabric.loadtest.fabric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service in its own process, with its output in a log file. Killed with SIGKILL to simulate a machine
 * dying, stopped with SIGTERM (then SIGKILL after a grace period) at the end of a run; always by its own
 * process handle, never by name.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a JVM; {@code command} is {@code java <options> ...}. Its GC pauses are logged to
     * {@code <name>-gc.log} beside its output, to tell a pause from a queue when latency jumps.
     */
    static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            List<String> withGcLog = new java.util.ArrayList<>(command);
            withGcLog.add(1, "-Xlog:gc:file=" + logDir.resolve(name + "-gc.log") + ":time");
            ProcessBuilder builder = new ProcessBuilder(withGcLog).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            LOG.info("Started {} (pid {}), log {}", name, process.pid(), log);
            return new ServiceProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * Waits until {@code ready} holds; fails at once, naming the log, when the process exits or its main
     * thread died (a JVM whose other threads keep running would otherwise never become ready).
     */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            if (mainThreadDied()) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") is running but its main thread died"
                        + " during start-up; see " + log.toAbsolutePath());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s; see "
                        + log.toAbsolutePath());
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
        }
    }

    private boolean mainThreadDied() {
        try {
            return Files.readString(log).contains("Exception in thread \"main\"");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A readiness check: {@code GET url} answers 200. */
    static BooleanSupplier httpOk(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        return () -> {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no goodbye, like a machine that dies. */
    void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) ignored SIGTERM for {} s; killing it", name, process.pid(), STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
