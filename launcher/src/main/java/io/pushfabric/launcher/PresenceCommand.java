package io.pushfabric.launcher;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.presence.ChannelPresence;
import io.pushfabric.dispatcher.presence.ChannelPresenceQuery;
import io.pushfabric.dispatcher.presence.PresenceQuery;
import io.pushfabric.dispatcher.presence.UserPresence;
import io.pushfabric.registry.RedisRegistries;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pushfabric presence USER}: is the user online, on which nodes, with how many sessions;
 * {@code pushfabric presence --channel NAME}: who is in a channel.
 */
@Command(name = "presence", mixinStandardHelpOptions = true,
        description = {"Show whether a user is online: their sessions per live connector node, from the registry.",
                "With --channel: the users in a channel (on live nodes) and their sessions, at most --limit."})
final class PresenceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--json", description = "Print the JSON of GET /v1/presence/{user} (or"
            + " /v1/channels/{channel}/presence) instead of a table.")
    private boolean json;

    @Option(names = "--channel", paramLabel = "NAME", description = "Show who is in this channel instead of a user.")
    private String channel;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "With --channel: list at most N users (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Parameters(index = "0", arity = "0..1", paramLabel = "USER", description = "The user id.")
    private String user;

    @Override
    public Integer call() throws Exception {
        if ((channel == null) == (user == null)) {
            throw new ParameterException(spec.commandLine(), "give either a USER or --channel NAME");
        }
        if (channel != null) {
            return channel();
        }
        UserId id;
        try {
            id = UserId.of(user);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        UserPresence presence;
        try (RedisRegistries registries = RedisRegistries.connect(redis.settings())) {
            presence = new PresenceQuery(registries.routes(), registries.nodes()).of(id);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("pushfabric presence: " + e.getMessage()
                    + " (is the fabric running, and do --redis/--prefix point at it?)");
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(presence.toJson()));
        } else {
            out.println(render(presence));
        }
        out.flush();
        return 0;
    }

    private int channel() throws Exception {
        ChannelName name;
        try {
            name = ChannelName.of(channel);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        ChannelPresence presence;
        try (RedisRegistries registries = RedisRegistries.connect(redis.settings())) {
            presence = new ChannelPresenceQuery(registries.channelMembers(), registries.nodes()).of(name, limit);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("pushfabric presence: " + e.getMessage()
                    + " (is the fabric running, and do --redis/--prefix point at it?)");
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? Json.MAPPER.writeValueAsString(presence.toJson()) : render(presence));
        out.flush();
        return 0;
    }

    static String render(ChannelPresence presence) {
        var members = presence.members();
        StringBuilder text = new StringBuilder(members.channel().value()).append(": ")
                .append(members.sessions().size()).append(members.truncated() ? "+" : "").append(" user(s)");
        if (members.truncated()) {
            text.append(" (first ").append(presence.limit()).append("; more with --limit)");
        }
        presence.toJson().path("members").forEach(m -> text.append(String.format("%n  %-24s %d session(s)",
                m.path("user").asText(), m.path("sessions").asInt())));
        return text.toString();
    }

    static String render(UserPresence presence) {
        if (!presence.online()) {
            return presence.user().value() + ": offline";
        }
        StringBuilder text = new StringBuilder(presence.user().value()).append(": online, ")
                .append(presence.sessions()).append(" session(s)");
        presence.sessionsByNode().forEach((node, count) ->
                text.append(String.format("%n  %-24s %d session(s)", node.value(), count)));
        return text.toString();
    }
}
