package io.pushfabric.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every scenario's {@code --help} renders as written. Picocli treats descriptions as format strings: a lone
 * {@code %} ("100%") makes it give up on that text and warn on stderr ("Could not format").
 */
class CommandHelpTest {
    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        CommandLine root = Commands.commandLine();
        assertTrue(root.getSubcommands().containsKey("targeted"), root.getSubcommands().keySet().toString());
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            root.getUsageMessage(CommandLine.Help.Ansi.OFF);
            root.getSubcommands().values().forEach(c -> c.getUsageMessage(CommandLine.Help.Ansi.OFF));
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "escape % as %% in descriptions");
    }
}
