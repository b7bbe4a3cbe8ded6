package io.pushfabric.loadtest.fabric;

import io.pushfabric.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node Kafka broker (KRaft, {@link EmbeddedKafka}) in a JVM of its own, so that its CPU and memory
 * are measured apart from the load generator's. Arguments: {@code <port> <ready-file> [key=value ...]}, the
 * pairs being broker properties on top of {@link EmbeddedKafka}'s; it writes the bootstrap address to the ready
 * file once the broker is usable, and runs until it is terminated.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    /** A broker started by {@link #launch}, and its bootstrap address. */
    record Launched(ServiceProcess process, String bootstrap) {
    }

    /**
     * Starts a broker in a JVM of its own ({@code jvm} options) on a free port, with {@code config} on top of the
     * defaults, and waits until it is usable.
     */
    static Launched launch(List<String> jvm, Map<String, String> config, Path runDir, Path logs, Duration timeout)
            throws IOException {
        Path ready = runDir.resolve("kafka.ready");
        List<String> args = new ArrayList<>(List.of(Integer.toString(ListenPorts.pick()), ready.toString()));
        config.forEach((k, v) -> args.add(k + "=" + v));
        ServiceProcess broker = ServiceProcess.start("kafka",
                ServiceImage.ownClasspath("kafka", KafkaBrokerMain.class.getName()).command(jvm, args), Map.of(), logs);
        try {
            broker.awaitReady(() -> Files.exists(ready), timeout);
            return new Launched(broker, Files.readString(ready).trim());
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: KafkaBrokerMain <port> <ready-file> [broker.property=value ...]");
            System.exit(2);
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("KafkaBrokerMain: broker property '" + args[i] + "' is not key=value");
                System.exit(2);
            }
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder().port(Integer.parseInt(args[0])).brokerProperties(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        Path ready = Path.of(args[1]);
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, kafka.bootstrapServers());
        Files.move(tmp, ready);
        System.out.println("Kafka broker ready on " + kafka.bootstrapServers());
        stopped.await();
    }
}
