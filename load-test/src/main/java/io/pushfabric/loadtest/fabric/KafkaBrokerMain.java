package io.pushfabric.loadtest.fabric;

import io.pushfabric.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node Kafka broker (KRaft, {@link EmbeddedKafka}) in a JVM of its own, so that its CPU and memory
 * are measured apart from the load generator's. Arguments: {@code <port> <ready-file>}; it writes the
 * bootstrap address to the ready file once the broker is usable, and runs until it is terminated.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <port> <ready-file>");
            System.exit(2);
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder().port(Integer.parseInt(args[0])).start();
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
