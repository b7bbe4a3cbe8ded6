package io.pushfabric.loadtest.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
