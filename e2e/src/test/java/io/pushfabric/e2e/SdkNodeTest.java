package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the JavaScript SDK's own unit tests ({@code clients/js/test}, {@code node --test}: the state machine
 * against a scripted fake server) as part of {@code ./mvnw verify}; they fail the build when they fail.
 */
class SdkNodeTest {
    @Test
    void theSdkUnitTestsPass() throws Exception {
        Path node = Executables.onPath(List.of("node", "nodejs")).orElse(null);
        Assumptions.assumeTrue(node != null, "SKIPPED: no node on PATH (Debian: apt-get install -y nodejs;"
                + " .ci/run installs it); the JavaScript SDK's unit tests did not run");
        Path dir = JsSdk.directory();
        Path log = Path.of("target", "processes", "sdk-node-test.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process run = new ProcessBuilder(node.toString(), "--test", "test/")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = run.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            run.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as("node --test finished within 120 s; output:%n%s", output).isTrue();
        assertThat(run.exitValue()).as("node --test in %s failed:%n%s", dir, output).isZero();
        assertThat(output).as("node --test ran the tests").containsPattern("# pass [1-9]");
    }
}
