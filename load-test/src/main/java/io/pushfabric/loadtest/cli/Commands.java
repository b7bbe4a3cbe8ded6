package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.fabric.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The command tree of the load generator. */
@Command(name = "load-test", mixinStandardHelpOptions = true, versionProvider = Commands.Version.class,
        description = "pushfabric load generator: WebSocket clients, producers, latency and loss accounting, CPU and"
                + " RSS of every process, JSON + HTML reports.",
        subcommands = {TargetedCommand.class, BroadcastCommand.class, IdleCommand.class, HoldCommand.class, StormCommand.class,
            SmokeCommand.class, ChannelsCommand.class, QuietCommand.class, SimulateCommand.class, KafkaFloorCommand.class,
            CommandLine.HelpCommand.class})
public final class Commands implements Runnable {
    /** Exit code when the tool itself failed (as opposed to a run that failed its rule). */
    public static final int TOOL_ERROR = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Commands())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("load-test " + cmd.getCommandName() + " failed: " + e);
                    e.printStackTrace(cmd.getErr());
                    return TOOL_ERROR;
                });
    }

    /** Version line: the tool and the libraries it measures with. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pushfabric load-test " + Versions.get("pushfabric") + " (Kafka " + Versions.get("kafka")
                    + ", Undertow " + Versions.get("undertow") + ", Java " + System.getProperty("java.version") + ")"};
        }
    }
}
