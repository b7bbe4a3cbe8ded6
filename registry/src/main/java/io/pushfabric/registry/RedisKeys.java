package io.pushfabric.registry;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import java.util.Objects;

/**
 * The one place the registry's Redis key layout lives. Every key starts with a prefix (default
 * {@value #DEFAULT_PREFIX}) so several deployments, or several tests, can share one Redis.
 *
 * <pre>
 * &lt;p&gt;route:{&lt;user&gt;}        hash   sessionId -&gt; nodeId                  no TTL (janitor cleans)
 * &lt;p&gt;node-routes:{&lt;node&gt;}  set    "&lt;sessionId&gt;|&lt;user&gt;"              no TTL (index for drain/janitor)
 * &lt;p&gt;channel:{#&lt;channel&gt;}    hash   nodeId -&gt; registration token       no TTL (janitor cleans)
 * &lt;p&gt;node-channels:{&lt;node&gt;} set "&lt;token&gt;|&lt;channel&gt;"             no TTL (index for the janitor)
 * &lt;p&gt;channel-members:{#&lt;channel&gt;} hash "&lt;node&gt;|&lt;user&gt;" -&gt; sessions  no TTL (janitor cleans)
 * &lt;p&gt;lease:{&lt;node&gt;}        string NodeInfo JSON                        PX = heartbeat TTL
 * &lt;p&gt;nodes                 hash   nodeId -&gt; NodeInfo JSON                no TTL (until forget)
 * &lt;p&gt;presence:{&lt;user&gt;}     hash   state, version, at, sessions      TTL 1 day once offline
 * &lt;p&gt;presence-checks:{&lt;partition&gt;}  sorted set  user by due time   no TTL (emptied by checks)
 * &lt;p&gt;dedupe:&lt;n&gt;:{&lt;routingKey&gt;:&lt;messageId&gt;}  string "&lt;partition&gt;-&lt;offset&gt;"  PX = dedupe window
 *                         (n = length of the routing key)
 * </pre>
 *
 * <p>The part in braces is a Redis Cluster hash tag: every script and every multi-key command the
 * registry sends touches exactly one key, so it is single-slot in Cluster. Keys of different users or
 * nodes land on different slots; cross-key reads go through pipelined batches, never one script. The
 * layout is documented in {@code docs/redis-keys.md}.
 */
public final class RedisKeys {
    public static final String DEFAULT_PREFIX = "pf:";

    /** Separates session id and user in a {@code node-routes} member; session ids never contain it. */
    static final char MEMBER_SEPARATOR = '|';

    private final String prefix;

    /**
     * @param prefix prepended to every key; may be empty, must not contain '{' or '}' (they would become
     *               the Cluster hash tag and put every key in one slot)
     */
    public RedisKeys(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("Redis key prefix '" + prefix + "' must not contain '{' or '}'");
        }
        this.prefix = prefix;
    }

    /** Keys under {@value #DEFAULT_PREFIX}. */
    public RedisKeys() {
        this(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    /** Hash of one user's sessions: field session id, value node id. */
    public String route(UserId user) {
        return prefix + "route:{" + user.value() + "}";
    }

    /** Set of {@code "<sessionId>|<user>"}: the routes a node registered (may hold stale members). */
    public String nodeRoutes(NodeId node) {
        return prefix + "node-routes:{" + node.value() + "}";
    }

    /** Hash of the nodes holding subscribers of one channel: field node id, value registration token. */
    public String channel(ChannelName channel) {
        return prefix + "channel:{" + channel.routingKey() + "}";
    }

    /** Hash of who is in one channel: field {@code "<node>|<user>"}, value sessions; the channel's slot. */
    public String channelMembers(ChannelName channel) {
        return prefix + "channel-members:{" + channel.routingKey() + "}";
    }

    /** Set of {@code "<token>|<channel>"}: the channel routes a node registered (may hold stale members). */
    public String nodeChannels(NodeId node) {
        return prefix + "node-channels:{" + node.value() + "}";
    }

    /** A node's lease: NodeInfo JSON, expiring after the heartbeat TTL. */
    public String lease(NodeId node) {
        return prefix + "lease:{" + node.value() + "}";
    }

    /** Hash of every known node: field node id, value NodeInfo JSON of its last heartbeat. */
    public String nodes() {
        return prefix + "nodes";
    }

    /**
     * The owner of one producer message id for one routing key: {@code "<partition>-<offset>"}, expiring
     * after the window. The routing key's length comes first, so no user id and message id can make the
     * key of another pair, and no key of this layout equals one of the older, unscoped
     * {@code dedupe:{<messageId>}} layout.
     */
    public String dedupe(String routingKey, String messageId) {
        return prefix + "dedupe:" + routingKey.length() + ":{" + routingKey + ":" + messageId + "}";
    }

    /** Hash of one user's last published presence: state, version, at, sessions. */
    public String presence(UserId user) {
        return prefix + "presence:{" + user.value() + "}";
    }

    /** Sorted set of the users of one {@code push-requests} partition whose presence is to be checked, by due time. */
    public String presenceChecks(int partition) {
        return prefix + "presence-checks:{" + partition + "}";
    }

    /** A cluster-wide lock, e.g. the janitor's. */
    public String lock(String name) {
        return prefix + "lock:{" + name + "}";
    }

    static String member(SessionRoute route) {
        return route.sessionId() + MEMBER_SEPARATOR + route.user().value();
    }

    static String member(ChannelRoute route) {
        return route.token() + MEMBER_SEPARATOR + route.channel().value();
    }

    /** Reads a {@code node-channels} member back; the token ends at the first separator. */
    static ChannelRoute channelFromMember(String member, NodeId node) {
        int at = member.indexOf(MEMBER_SEPARATOR);
        if (at <= 0 || at == member.length() - 1) {
            throw new IllegalArgumentException("malformed node-channels member '" + member + "'");
        }
        return new ChannelRoute(ChannelName.of(member.substring(at + 1)), node, member.substring(0, at));
    }

    /** Reads a {@code node-routes} member back; the session id ends at the first separator. */
    static SessionRoute fromMember(String member, NodeId node) {
        int at = member.indexOf(MEMBER_SEPARATOR);
        if (at <= 0 || at == member.length() - 1) {
            throw new IllegalArgumentException("malformed node-routes member '" + member + "'");
        }
        return new SessionRoute(UserId.of(member.substring(at + 1)), member.substring(0, at), node);
    }

    @Override
    public String toString() {
        return "RedisKeys[prefix=" + prefix + "]";
    }
}
