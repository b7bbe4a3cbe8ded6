package io.pushfabric.launcher;

import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.UserId;
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

/** {@code pushfabric presence USER}: is the user online, on which nodes, with how many sessions. */
@Command(name = "presence", mixinStandardHelpOptions = true,
        description = "Show whether a user is online: their sessions per live connector node, from the registry.")
final class PresenceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private RedisOptions redis;

    @Option(names = "--json", description = "Print the JSON of GET /v1/presence/{user} instead of a table.")
    private boolean json;

    @Parameters(index = "0", paramLabel = "USER", description = "The user id.")
    private String user;

    @Override
    public Integer call() throws Exception {
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
