package io.pushfabric.launcher;

import io.pushfabric.registry.RedisRegistries;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pushfabric status}: nodes, sessions per node and dispatcher lag. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show connector nodes (live or dead, sessions, last heartbeat) and the dispatchers' lag.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = PublishCommand.DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrap;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "push-requests",
            description = "Requests topic (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "pushfabric-dispatcher",
            description = "Dispatcher consumer group (default: ${DEFAULT-VALUE}).")
    private String group;

    @Override
    public Integer call() throws Exception {
        try (RedisRegistries registries = RedisRegistries.connect(redis.settings());
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 10_000,
                     "default.api.timeout.ms", 15_000))) {
            spec.commandLine().getOut().print(FabricStatus.collect(registries, admin, topic, group,
                    System.currentTimeMillis()).render());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("pushfabric status: " + e.getMessage()
                    + " (is the fabric running, and do --bootstrap/--redis point at it?)");
            return 1;
        }
    }
}
