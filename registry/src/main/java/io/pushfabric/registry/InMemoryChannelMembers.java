package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ChannelMembers} in a map, for tests and single-process use. */
public final class InMemoryChannelMembers implements ChannelMembers {
    private record Member(NodeId node, UserId user) {
    }

    private final Map<ChannelName, Map<Member, Integer>> byChannel = new ConcurrentHashMap<>();

    @Override
    public void join(ChannelName channel, NodeId node, UserId user) {
        byChannel.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).merge(new Member(node, user), 1, Integer::sum);
    }

    @Override
    public void leave(ChannelName channel, NodeId node, UserId user) {
        byChannel.computeIfPresent(channel, (c, members) -> {
            members.computeIfPresent(new Member(node, user), (m, n) -> n <= 1 ? null : n - 1);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public ChannelMembership membersOf(ChannelName channel, Set<NodeId> live, int limit) {
        Map<UserId, Integer> sessions = new LinkedHashMap<>();
        boolean truncated = false;
        for (Map.Entry<Member, Integer> entry : byChannel.getOrDefault(channel, Map.of()).entrySet()) {
            UserId user = entry.getKey().user();
            if (!live.contains(entry.getKey().node())) {
                continue;
            }
            if (!sessions.containsKey(user) && sessions.size() >= limit) {
                truncated = true;
                break;
            }
            sessions.merge(user, entry.getValue(), Integer::sum);
        }
        return new ChannelMembership(channel, sessions, truncated);
    }

    @Override
    public void removeAllOn(NodeId node, Collection<ChannelName> channels) {
        for (ChannelName channel : channels) {
            byChannel.computeIfPresent(channel, (c, members) -> {
                members.keySet().removeIf(m -> m.node().equals(node));
                return members.isEmpty() ? null : members;
            });
        }
    }
}
