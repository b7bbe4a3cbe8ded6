package io.pushfabric.launcher;

import io.pushfabric.contracts.config.PresenceSettings;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.api.ApiKeys;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pushfabric dev}: runs a {@link DevFabric} until Ctrl-C. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run the whole fabric in one JVM, no Docker: Kafka, Redis, a dispatcher, connectors node-a and"
                + " node-b, and a front with a dev page. Ctrl-C stops everything.")
final class DevCommand implements Callable<Integer> {
    private static final Duration BANNER_TOKEN_VALIDITY = Duration.ofHours(12);

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Front port: dev page, /api and the /ws proxy (default: ${DEFAULT-VALUE}; 0 = any free port).")
    private int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Interface the front binds (default: ${DEFAULT-VALUE}; 0.0.0.0 to reach it from other machines).")
    private String host;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Kafka data directory, kept across runs (default: ./.pushfabric/kafka).")
    private Path dataDir;

    @Option(names = "--ephemeral",
            description = "Keep Kafka's data in a temporary directory deleted on exit, and use free ports for everything but the front.")
    private boolean ephemeral;

    @Override
    public Integer call() throws InterruptedException {
        DevOptions options = ephemeral ? DevOptions.ephemeral() : DevOptions.defaults();
        if (dataDir != null) {
            options = options.withKafkaDataDir(dataDir);
        }
        options = options.withHost(host).withFrontPort(port);
        DevFabric fabric = DevFabric.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                fabric.close();
            } finally {
                stopped.countDown();
            }
        }, "pf-dev-shutdown"));
        printBanner(fabric, spec.commandLine().getOut());
        stopped.await();
        return 0;
    }

    private static void printBanner(DevFabric fabric, PrintWriter out) {
        out.println();
        out.println("pushfabric dev is ready: open " + fabric.frontUri() + " in a browser");
        out.println();
        out.println("  front (dev page)   " + fabric.frontUri());
        out.println("  clients connect to " + fabric.webSocketUri() + "?access_token=<JWT>[&cursor=<cursor>]");
        for (Map.Entry<String, URI> c : fabric.connectorUris().entrySet()) {
            out.printf("  connector %-8s %s%n", c.getKey(), c.getValue());
        }
        out.println("  dispatcher         " + fabric.dispatcherStatusUri());
        out.println("  HTTP API           " + fabric.apiUri() + "/v1/publish   dev API key: " + ApiKeys.DEV_ONLY_KEY);
        out.println("  Kafka bootstrap    " + fabric.kafkaBootstrap() + "   data: "
                + fabric.kafkaDataDir().map(Path::toString).orElse("temporary, deleted on exit"));
        out.println("  Redis              " + fabric.redisUri() + "   key prefix: " + DevFabric.REDIS_KEY_PREFIX);
        out.println("  presence events    topic " + PresenceSettings.DEFAULT_TOPIC + " (online/offline per user, keyed by user id)");
        fabric.notes().forEach(note -> out.println("  note: " + note));
        out.println();
        out.println("Token for user alice (valid " + BANNER_TOKEN_VALIDITY.toHours() + " h, dev secret):");
        out.println("  " + fabric.token(UserId.of("alice"), BANNER_TOKEN_VALIDITY));
        out.println();
        boolean defaultBootstrap = fabric.kafkaBootstrap().endsWith(":9092");
        String bootstrap = defaultBootstrap ? "" : " --bootstrap " + fabric.kafkaBootstrap();
        out.println("Publish to alice, or mint a token for someone else:");
        out.println("  ./pushfabric publish" + bootstrap + " --user alice '{\"text\":\"hello\"}'");
        out.println("  ./pushfabric token --user bob");
        out.println("  curl -H 'Authorization: Bearer " + ApiKeys.DEV_ONLY_KEY + "' -d '{\"user\":\"alice\",\"payload\":"
                + "{\"text\":\"hi\"}}' " + fabric.apiUri() + "/v1/publish");
        out.println("  ./pushfabric presence" + (fabric.redisUri().endsWith(":6379") ? "" : " --redis " + fabric.redisUri())
                + " alice");
        out.println();
        out.println("Ctrl-C stops everything.");
        out.flush();
    }
}
