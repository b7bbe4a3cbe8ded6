package io.pushfabric.loadtest;

import io.pushfabric.loadtest.cli.Commands;
import picocli.CommandLine;

/**
 * {@code java -jar load-test-all.jar <scenario> [options]}: targeted, broadcast, idle, storm, smoke. Exit code
 * 0 when the run passed its scenario's rule, 1 when it did not (e.g. a message was lost), 2 on bad usage,
 * 3 when the tool itself failed.
 */
public final class LoadTestCli {
    private LoadTestCli() {
    }

    public static void main(String[] args) {
        CommandLine cli = Commands.commandLine();
        System.exit(cli.execute(args));
    }
}
