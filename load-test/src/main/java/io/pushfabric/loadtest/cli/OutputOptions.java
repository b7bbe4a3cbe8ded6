package io.pushfabric.loadtest.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/** Where reports go. */
final class OutputOptions {
    @Option(names = "--out", description = "Report directory; each run writes <out>/<scenario>-<time>/ (default:"
            + " load-test/target/reports from the repository root, else target/reports).")
    Path out;

    Path dir() {
        if (out != null) {
            return out;
        }
        return Files.isDirectory(Path.of("load-test")) ? Path.of("load-test", "target", "reports")
                : Path.of("target", "reports");
    }

    /** A new run directory {@code <dir>/<name>-<time>/}, created, as an absolute path. */
    Path newRunDir(String name) throws IOException {
        Path runDir = dir().resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        return Files.createDirectories(runDir);
    }
}
