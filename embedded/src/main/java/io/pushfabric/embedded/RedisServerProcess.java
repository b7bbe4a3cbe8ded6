package io.pushfabric.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process listening on 127.0.0.1, without persistence.
 *
 * <p>The binary is {@code redis-server} from {@code PATH} when there is one; otherwise the binary for
 * this platform that ships inside the {@code com.github.codemonstur:embedded-redis} jar, extracted to
 * a temporary directory. That directory is also the server's working directory and is deleted on
 * {@link #close()}.
 *
 * <p>The child process outlives a JVM that exits without calling {@link #close()}; register a
 * shutdown hook when that matters.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path logFile;
    private volatile boolean paused;

    private RedisServerProcess(Process process, int port, Path workDir, Path logFile) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.logFile = logFile;
    }

    /** Starts redis-server on a free loopback port. */
    public static RedisServerProcess start() {
        return start(FreePorts.pick());
    }

    /** Starts redis-server on {@code port} and returns once it answers {@code PING}. */
    public static RedisServerProcess start(int port) {
        return start(port, List.of());
    }

    /**
     * Starts redis-server on {@code port} with {@code options} after the defaults (e.g.
     * {@code --cluster-enabled yes}, {@code --replicaof 127.0.0.1 6379}), and returns once it answers
     * {@code PING}.
     */
    public static RedisServerProcess start(int port, List<String> options) {
        return launch(port, List.of(), options);
    }

    /**
     * Starts a Redis Sentinel on {@code port}: redis-server in sentinel mode, with a config file of
     * {@code configLines} (e.g. {@code sentinel monitor mymaster 127.0.0.1 6379 2}) in its working directory,
     * where it rewrites what it learns. Returns once it answers {@code PING}.
     */
    public static RedisServerProcess startSentinel(int port, List<String> configLines) {
        return launch(port, configLines, List.of("--sentinel"));
    }

    private static RedisServerProcess launch(int port, List<String> configLines, List<String> options) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535 but was " + port);
        }
        if (!FreePorts.isFree(port)) {
            throw new IllegalStateException("Cannot start redis-server: port " + port + " on 127.0.0.1 is already in use");
        }
        long started = System.nanoTime();
        Path workDir = createTempDir();
        Path binary;
        List<String> command = new ArrayList<>();
        try {
            binary = findOnPath().orElseGet(() -> extractBundledBinary(workDir));
            command.add(binary.toString());
            if (!configLines.isEmpty()) {
                // A config file must be the first argument; a sentinel also rewrites it.
                Path config = workDir.resolve("redis.conf");
                Files.write(config, configLines);
                command.add(config.toString());
            }
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new UncheckedIOException("Could not write the config file in " + workDir, e);
        } catch (RuntimeException e) {
            deleteQuietly(workDir);
            throw e;
        }
        Path logFile = workDir.resolve("redis-server.log");
        command.addAll(List.of(
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "no",
                "--daemonize", "no",
                "--dir", workDir.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                // A file, not a pipe: nobody reads a pipe, and a full pipe would block redis-server.
                .redirectOutput(logFile.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new UncheckedIOException("Could not start " + binary, e);
        }
        RedisServerProcess redis = new RedisServerProcess(process, port, workDir, logFile);
        redis.awaitPong(binary);
        LOG.info("Started {} (pid {}) on {} in {} ms", binary, process.pid(),
                redis.uri(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The {@code redis_version} the server reports in {@code INFO server}. */
    public String version() {
        String info = command("INFO", "server");
        return info.lines()
                .filter(line -> line.startsWith("redis_version:"))
                .map(line -> line.substring("redis_version:".length()).trim())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No redis_version in INFO reply: " + info));
    }

    /** SIGSTOP: the server freezes with its connections open, as in a long pause of its host. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause}; keys whose TTL ran out meanwhile are expired from now on. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    /**
     * Stops this server and starts an empty one on the same port, as a restart without persistence does:
     * every key is gone. Clients reconnect to the same address.
     */
    public RedisServerProcess restart() {
        close();
        return start(port);
    }

    /** SIGKILL, as when the host dies: no shutdown, no goodbye to replicas or the cluster. */
    public void kill() {
        signal("KILL");
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends one command (e.g. {@code command("CLUSTER", "MEET", "127.0.0.1", "7001")}) and returns the reply
     * as text: an integer as its digits, an array one element per line, {@code null} for a nil.
     *
     * @throws IllegalStateException on an error reply, with the server's message
     */
    public String command(String... args) {
        return RespCommand.send(port, List.of(args));
    }

    /** Replicas of this server that are connected and in sync ({@code state=online} in {@code INFO replication}). */
    public int inSyncReplicas() {
        return (int) command("INFO", "replication").lines()
                .filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal redis-server pid " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling redis-server", e);
        }
        LOG.info("Sent SIG{} to redis-server pid {}", name, process.pid());
    }

    /** Terminates the process by its PID, waits for it to exit and deletes its working directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            if (paused) {
                resume(); // a paused server would not act on SIGTERM
            }
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("redis-server pid {} ignored SIGTERM for {}; killing it", process.pid(), STOP_TIMEOUT);
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            LOG.info("Stopped redis-server pid {} on port {}", process.pid(), port);
        }
        deleteQuietly(workDir);
    }

    private void awaitPong(Path binary) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String lastError = "no attempt";
        try {
            while (System.nanoTime() < deadline) {
                try {
                    String reply = command("PING");
                    if ("PONG".equals(reply)) {
                        verifyOwnsPort(binary);
                        return;
                    }
                    lastError = "reply " + reply;
                } catch (UncheckedIOException e) {
                    lastError = e.getCause().toString();
                }
                // Waiting on the process doubles as the poll interval and notices an early exit.
                if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                    String output = output();
                    close();
                    throw new IllegalStateException("redis-server " + binary + " exited with code "
                            + process.exitValue() + " before answering PING on port " + port + ". Output:\n"
                            + output);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastError = "interrupted";
        }
        String output = output();
        close();
        throw new IllegalStateException("redis-server " + binary + " did not answer PING on port " + port
                + " within " + START_TIMEOUT + " (" + lastError + "). Output:\n" + output);
    }

    /** Guards against a PONG from another server that took the port between our check and our bind. */
    private void verifyOwnsPort(Path binary) {
        String expected = "process_id:" + process.pid();
        if (command("INFO", "server").lines().map(String::trim).noneMatch(expected::equals)) {
            String output = output();
            close();
            throw new IllegalStateException("Port " + port + " is served by another process, not by " + binary
                    + " (pid " + process.pid() + "). Output:\n" + output);
        }
    }

    private String output() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    private static Optional<Path> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path extractBundledBinary(Path workDir) {
        String resource = bundledResourceName();
        Path target = workDir.resolve("redis-server");
        try (InputStream in = RedisServerProcess.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("No redis-server on PATH and no /" + resource
                        + " on the classpath (it ships in com.github.codemonstur:embedded-redis)");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract " + resource + " to " + target, e);
        }
        if (!target.toFile().setExecutable(true, true)) {
            throw new IllegalStateException("Could not make " + target + " executable");
        }
        return target;
    }

    private static String bundledResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && x64) {
            return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("linux") && arm64) {
            return "redis-server-6.2.7-linux-arm64";
        }
        if (os.contains("mac") && x64) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("mac") && arm64) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new IllegalStateException("No bundled redis-server for os.name=" + os + " os.arch=" + arch
                + "; put redis-server on PATH");
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("pushfabric-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for redis-server", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
