package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.fabric.KafkaFloor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What Kafka alone costs for the fabric's traffic ({@link KafkaFloor}). */
@Command(name = "kafka-floor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The floor under the fabric's CPU per message: the load generator's producer, a broker of its own"
                + " and bare Kafka clients in place of the dispatcher and the connectors (same client settings, nothing"
                + " else), each in its own JVM; CPU per message of each over a step after a warm-up. Exit code 1 when the"
                + " node topics did not carry every message.")
final class KafkaFloorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rate", defaultValue = "10000", description = "Messages per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup-s", defaultValue = "150", description = "Seconds at the rate before the step (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--step-s", defaultValue = "30", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    long step;

    @Option(names = "--nodes", defaultValue = "2", description = "Node topics, one consumer JVM each, as connectors; 0"
            + " measures the first hop alone (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--min-cycle-ms", defaultValue = "5", description = "The dispatcher's pacing, as PUSH_DISPATCH_MIN_CYCLE_MS"
            + " (default: ${DEFAULT-VALUE}).")
    long minCycle;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the requests topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--payload-bytes", defaultValue = "100", description = "Approximate payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--kafka-jvm", defaultValue = "-Xmx1g", description = "JVM options of the broker (default: ${DEFAULT-VALUE}).")
    String brokerJvm;

    @Option(names = "--kafka-config", paramLabel = "KEY=VALUE", description = "A broker property on top of the embedded"
            + " broker's. Repeatable.")
    Map<String, String> kafkaConfig = new LinkedHashMap<>();

    @Mixin
    ProducerOptions producer = new ProducerOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path runDir = output.newRunDir("kafka-floor");
        KafkaFloor.Settings settings = new KafkaFloor.Settings(rate, Duration.ofSeconds(warmup), Duration.ofSeconds(step),
                partitions, nodes, minCycle, FabricOptions.words(brokerJvm), kafkaConfig, producer.spec(),
                payloadBytes);
        KafkaFloor.Result result = KafkaFloor.run(settings, runDir);
        out.printf(Locale.ROOT, "%n== kafka-floor: %s ==%n", result.carried() ? "PASS" : "FAIL");
        out.printf(Locale.ROOT, "%,.0f msg/s, %s, %d partitions, dispatcher paced at %d ms, %s%n", rate,
                nodes == 0 ? "first hop alone" : nodes + " node topics", partitions, minCycle, producer.spec().describe());
        out.printf(Locale.ROOT, "step of %d s: %s; producer %.2f records per request%n", step,
                result.step().brief("msg"), result.recordsPerRequest());
        out.printf(Locale.ROOT, "published %,d; in the node topics %s%n", result.published(),
                result.inNodeTopics() < 0 ? "(none)" : String.format(Locale.ROOT, "%,d", result.inNodeTopics()));
        out.println("logs: " + runDir.resolve("logs").toAbsolutePath());
        out.flush();
        return result.carried() ? 0 : 1;
    }
}
