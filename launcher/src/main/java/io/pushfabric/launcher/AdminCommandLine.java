package io.pushfabric.launcher;

import io.pushfabric.contracts.AdminCommand;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.UserId;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pushfabric admin}: sends an operator's command to every connector through the control topic. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Send an admin command to every connector: disconnect a user everywhere, drain a node, or"
                + " subscribe / unsubscribe every open session of a user to / from a channel.")
final class AdminCommandLine implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = PublishCommand.DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "push-requests",
            description = "Requests topic; commands go to push-control.<TOPIC> (default: ${DEFAULT-VALUE}).")
    private String topic;

    @ArgGroup(multiplicity = "1")
    private What what;

    static final class What {
        @Option(names = "--disconnect-user", paramLabel = "USER", required = true,
                description = "Close every session of USER on every node (close code 4002).")
        private String user;

        @Option(names = "--drain-node", paramLabel = "NODE", required = true,
                description = "Make NODE refuse new sessions and move its clients away over its drain window.")
        private String node;

        @Option(names = "--subscribe-user", paramLabel = "USER", required = true,
                description = "Every session of USER open now, on every node, joins --channel (from now, no replay).")
        private String subscriber;

        @Option(names = "--unsubscribe-user", paramLabel = "USER", required = true,
                description = "Every session of USER open now, on every node, leaves --channel.")
        private String unsubscriber;
    }

    @Option(names = "--channel", paramLabel = "CHANNEL",
            description = "The channel of --subscribe-user / --unsubscribe-user.")
    private String channel;

    /** The command the options name; IllegalArgumentException with the reason when they do not fit. */
    private AdminCommand command() {
        boolean membership = what.subscriber != null || what.unsubscriber != null;
        if (membership && channel == null) {
            throw new IllegalArgumentException((what.subscriber != null ? "--subscribe-user" : "--unsubscribe-user")
                    + " needs --channel CHANNEL");
        }
        if (!membership && channel != null) {
            throw new IllegalArgumentException("--channel goes with --subscribe-user or --unsubscribe-user");
        }
        if (what.subscriber != null) {
            return AdminCommand.subscribeUser(UserId.of(what.subscriber), channelName());
        }
        if (what.unsubscriber != null) {
            return AdminCommand.unsubscribeUser(UserId.of(what.unsubscriber), channelName());
        }
        return what.user != null ? AdminCommand.disconnectUser(UserId.of(what.user)) : AdminCommand.drainNode(NodeId.of(what.node));
    }

    private ChannelName channelName() {
        try {
            return ChannelName.of(channel);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--channel " + channel + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        AdminCommand command;
        try {
            command = command();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("pushfabric admin: " + e.getMessage());
            return 2;
        }
        String control = Topics.withBase(topic).control();
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "acks", "all", "max.block.ms", 10_000,
                "delivery.timeout.ms", 10_000, "request.timeout.ms", 9_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(control, null, command.encode())).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            spec.commandLine().getErr().println("pushfabric admin: Kafka at " + bootstrap + " did not take the command: "
                    + e.getCause().getMessage());
            return 1;
        }
        spec.commandLine().getOut().println("sent " + new String(command.encode(), java.nio.charset.StandardCharsets.UTF_8)
                + " to " + control);
        return 0;
    }
}
