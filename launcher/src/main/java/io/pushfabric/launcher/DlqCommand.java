package io.pushfabric.launcher;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.Topics;
import io.pushfabric.dispatcher.dlq.DeadLetter;
import io.pushfabric.dispatcher.dlq.KafkaDeadLetters;
import io.pushfabric.dispatcher.dlq.RedriveReport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pushfabric dlq list|show|count|redrive}: look into the dead-letter topic, and put back what a
 * producer's fixed mistake (a record in the wrong partition) left there.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspect the dead-letter topic and redrive what would now be accepted.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Count.class,
                DlqCommand.Redrive.class})
final class DlqCommand implements Runnable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the fabric's topics are; shared by every subcommand. */
    static final class Where {
        @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = PublishCommand.DEFAULT_BOOTSTRAP,
                description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
        String bootstrap;

        @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "push-requests",
                description = "Requests topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--dlq-topic", paramLabel = "TOPIC",
                description = "Dead-letter topic (default: <TOPIC>.dlq).")
        String deadLetterTopic;

        @Option(names = "--group", paramLabel = "GROUP", defaultValue = KafkaDeadLetters.DEFAULT_GROUP,
                description = "Consumer group that remembers what redrive has handled (default: ${DEFAULT-VALUE}).")
        String group;

        KafkaDeadLetters open() {
            Topics topics = new Topics(topic, deadLetterTopic != null ? deadLetterTopic : topic + ".dlq", topic + ".node.");
            return new KafkaDeadLetters(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 10_000,
                    "default.api.timeout.ms", 15_000), topics, group, new PushRequestCodec(), Clock.systemUTC(), TIMEOUT);
        }
    }

    /** Runs one subcommand against the dead-letter topic; a failure is one line naming what to check. */
    abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaDeadLetters dlq = where.open()) {
                int code = run(dlq, out);
                out.flush();
                return code;
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("pushfabric dlq " + spec.name() + ": " + e.getMessage()
                        + " (is the fabric running, and do --bootstrap/--topic point at it?)");
                return 1;
            }
        }

        abstract int run(KafkaDeadLetters dlq, PrintWriter out) throws Exception;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per dead letter, oldest first: id, reason, key, source, detail.")
    static final class ListLetters extends Sub {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "Show at most N (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(KafkaDeadLetters dlq, PrintWriter out) {
            List<DeadLetter> letters = dlq.list(limit);
            for (DeadLetter l : letters) {
                out.printf("%-10s %-20s key=%s source=%s %s%n", l.position().id(), l.reason(), l.key(), l.source(),
                        l.detail());
            }
            out.printf("%d dead letter(s) shown%n", letters.size());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Everything about one dead letter, including its value.")
    static final class Show extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's <partition>-<offset>, as `list` prints it.")
        String id;

        @Override
        int run(KafkaDeadLetters dlq, PrintWriter out) {
            MessagePosition position;
            try {
                position = MessagePosition.parse(id);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            DeadLetter l = dlq.show(position).orElse(null);
            if (l == null) {
                spec.commandLine().getErr().println("pushfabric dlq show: no dead letter at " + id);
                return 1;
            }
            out.println("id:     " + l.position().id());
            out.println("time:   " + Instant.ofEpochMilli(l.timestamp()));
            out.println("reason: " + l.reason());
            out.println("detail: " + l.detail());
            out.println("source: " + l.source());
            out.println("key:    " + l.key());
            for (DeadLetter.Header h : l.headers()) {
                out.println("header: " + h.key() + "=" + (h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
            }
            out.println("value:  " + (l.value() == null ? "(none)" : new String(l.value(), StandardCharsets.UTF_8)));
            return 0;
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "Dead letters in the topic, by reason.")
    static final class Count extends Sub {
        @Override
        int run(KafkaDeadLetters dlq, PrintWriter out) {
            Map<String, Long> counts = dlq.countByReason();
            counts.forEach((reason, n) -> out.printf("%-20s %d%n", reason, n));
            out.printf("%-20s %d%n", "total", counts.values().stream().mapToLong(Long::longValue).sum());
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = {"Re-publish every dead letter not yet handled that would now be accepted, keyed by its"
                    + " routing key and partitioned like Kafka's Java client, keeping its messageId.",
                    "Refuses what would fail again (not JSON, bad schema, wrong key, too large, expired) and names why.",
                    "Remembers its progress in --group: running it twice redrives nothing twice."})
    static final class Redrive extends Sub {
        @Option(names = "--dry-run", description = "Report what would happen; publish and remember nothing.")
        boolean dryRun;

        @Override
        int run(KafkaDeadLetters dlq, PrintWriter out) throws InterruptedException {
            RedriveReport report = dlq.redrive(dryRun);
            out.printf("%s %d, refused %d%n", dryRun ? "would redrive" : "redriven", report.redriven(),
                    report.refusedTotal());
            report.refused().forEach((reason, n) -> out.printf("  refused %-20s %d%n", reason, n));
            for (String example : report.examples()) {
                out.println("  e.g. " + example);
            }
            return 0;
        }
    }
}
