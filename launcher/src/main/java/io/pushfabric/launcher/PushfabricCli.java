package io.pushfabric.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pushfabric dev|publish|token|status|presence|admin|dlq}: the command line of the shaded launcher jar. */
@Command(name = "pushfabric", mixinStandardHelpOptions = true, version = "pushfabric 0.1.0-SNAPSHOT",
        description = "Kafka-backed WebSocket push fabric.",
        subcommands = {DevCommand.class, PublishCommand.class, TokenCommand.class, StatusCommand.class,
                PresenceCommand.class, AdminCommandLine.class, DlqCommand.class, CommandLine.HelpCommand.class})
public final class PushfabricCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new PushfabricCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("pushfabric " + cmd.getCommandName() + ": " + e.getMessage());
                    return 1;
                });
    }

    /** Without a subcommand: show what there is. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
