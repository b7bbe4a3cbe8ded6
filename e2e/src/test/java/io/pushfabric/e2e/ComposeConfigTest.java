package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The root {@code docker-compose.yml} is valid Compose: {@code docker compose config} parses it,
 * interpolates it and checks it against the Compose schema, without a Docker engine. Skipped, with the
 * reason, where neither the {@code docker compose} plugin nor a standalone {@code docker-compose} exists.
 */
class ComposeConfigTest {
    private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();
    private static final long TIMEOUT_SECONDS = 60;
    /** What an operator sets; the file itself has no default. */
    private static final Map<String, String> SECRET = Map.of("PUSH_JWT_SECRET", "compose-test-secret-0123456789abcdef0123");

    private static List<String> compose;

    @BeforeAll
    static void findCompose() {
        assertThat(COMPOSE_FILE).as("compose file (the test runs in e2e/)").isRegularFile();
        compose = composeCommand().orElse(null);
    }

    @Test
    void composeFileIsValid() {
        assumeCompose();
        Result result = run(SECRET, "-f", COMPOSE_FILE.toString(), "config", "-q");

        assertThat(result.exitCode()).as("%s config -q said:%n%s", String.join(" ", compose), result.output())
                .isZero();
    }

    @Test
    void composeFileDeclaresTheWholeFabric() {
        assumeCompose();
        Result result = run(SECRET, "-f", COMPOSE_FILE.toString(), "config", "--services");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines().map(String::trim))
                .contains("kafka", "redis", "dispatcher-1", "dispatcher-2", "connector-1", "connector-2", "nginx");
    }

    @Test
    void composeRefusesToRunWithoutAJwtSecret() {
        assumeCompose();
        Result result = run(Map.of(), "-f", COMPOSE_FILE.toString(), "config", "-q");

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("set PUSH_JWT_SECRET");
    }

    @Test
    void composeFileHasNoDefaultSecret() throws IOException {
        String file = Files.readString(COMPOSE_FILE, StandardCharsets.UTF_8);

        assertThat(file).doesNotContain("DEV-ONLY").contains("${PUSH_JWT_SECRET:?set PUSH_JWT_SECRET");
    }

    private static void assumeCompose() {
        assumeTrue(compose != null, "skipped: no `docker` client with the compose plugin on PATH (and no"
                + " standalone `docker-compose`), so " + COMPOSE_FILE + " cannot be validated here");
    }

    /** {@code docker compose} when the plugin answers, else a standalone {@code docker-compose}. */
    private static Optional<List<String>> composeCommand() {
        if (onPath("docker") && answers(List.of("docker", "compose", "version"))) {
            return Optional.of(List.of("docker", "compose"));
        }
        if (onPath("docker-compose") && answers(List.of("docker-compose", "version"))) {
            return Optional.of(List.of("docker-compose"));
        }
        return Optional.empty();
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, executable))
                .anyMatch(Files::isExecutable);
    }

    private static boolean answers(List<String> command) {
        return exec(command).exitCode() == 0;
    }

    private static Result run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(args));
        return exec(command, env);
    }

    private static Result exec(List<String> command) {
        return exec(command, Map.of());
    }

    /** Runs {@code command} with this JVM's environment minus {@code PUSH_JWT_SECRET}, plus {@code env}. */
    private static Result exec(List<String> command, Map<String, String> env) {
        Path log;
        try {
            log = Files.createTempFile("compose-config-", ".log");
        } catch (IOException e) {
            return new Result(-1, "cannot create a temp file: " + e.getMessage());
        }
        Process process = null;
        try {
            // Output goes to a file, so a command that hangs cannot block the test past the timeout.
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(COMPOSE_FILE.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().remove("PUSH_JWT_SECRET");
            builder.environment().putAll(env);
            process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted while running " + command);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a leftover temp file is harmless
            }
        }
    }

    private record Result(int exitCode, String output) {
    }
}
