package io.pushfabric.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pushfabric service in its own JVM, started from the test classpath, so a test can kill it with
 * SIGKILL the way a machine dies. Its output goes to {@code target/processes/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int statusPort;
    private final Path log;
    private volatile boolean paused;

    private ServiceProcess(String name, Process process, int statusPort, Path log) {
        this.name = name;
        this.process = process;
        this.statusPort = statusPort;
        this.log = log;
    }

    /** Starts {@code mainClass} with these variables and waits until {@code /readyz} answers 200. */
    static ServiceProcess start(String name, String mainClass, Map<String, String> env, int statusPort) {
        try {
            Path dir = Path.of("target", "processes");
            Files.createDirectories(dir);
            Path log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            ServiceProcess service = new ServiceProcess(name, builder.start(), statusPort, log);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/readyz"))
                .timeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no goodbye, exactly like a machine that dies. */
    void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the JVM freezes, every thread at once, like a long GC pause or a starved VM. */
    void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause}. */
    void resume() {
        signal("CONT");
        paused = false;
    }

    /** SIGTERM: the shutdown hook runs (a connector drains). Does not wait. */
    void terminate() {
        process.destroy();
    }

    /** Waits until the process has exited. @return false when it was still running after {@code timeout} */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    File logFile() {
        return log.toFile();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            if (paused) {
                resume(); // a stopped JVM would not run its shutdown hook
            }
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
