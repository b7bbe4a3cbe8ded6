package io.pushfabric.registry;

import io.pushfabric.contracts.MessagePosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The dedupe window in Redis: one string per routing key and message id holding the owning position
 * ({@code "<partition>-<offset>"}) with a PX TTL of the window, laid out by {@link RedisKeys}. A batch of
 * claims is one pipelined round trip of one script per claim; Redis runs the scripts of one key in the
 * order they were sent, so two claims of one id in a batch behave as if made one after the other. The
 * owner's TTL is not extended by a repeat claim: the window counts from the first sighting.
 */
public final class RedisDedupeWindow implements DedupeWindow {

    /**
     * KEYS[1] dedupe key; ARGV[1] claiming position; ARGV[2] window millis. Returns 1 when another
     * position owns the id (a duplicate), 0 when the caller owns it (now or already).
     */
    static final String CLAIM = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return 0
            end
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return 0
            end
            return 1
            """;

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public RedisDedupeWindow(RedissonClient redisson, RedisKeys keys) {
        this.redisson = Objects.requireNonNull(redisson, "redisson");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public Set<MessagePosition> claim(List<Claim> claims, Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("dedupe window must be at least 1 ms, was " + window);
        }
        if (claims.isEmpty()) {
            return Set.of();
        }
        String windowMillis = Long.toString(window.toMillis());
        RBatch batch = redisson.createBatch();
        List<RFuture<Boolean>> duplicates = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            String key = keys.dedupe(claim.routingKey(), claim.messageId());
            duplicates.add(batch.getScript(StringCodec.INSTANCE).evalAsync(key, RScript.Mode.READ_WRITE, CLAIM,
                    RScript.ReturnType.BOOLEAN, List.of(key), claim.position().id(), windowMillis));
        }
        batch.execute();
        Set<MessagePosition> result = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            if (Boolean.TRUE.equals(duplicates.get(i).toCompletableFuture().join())) {
                result.add(claims.get(i).position());
            }
        }
        return result;
    }

    @Override
    public MessagePosition owner(String routingKey, String messageId) {
        String owner = redisson.<String>getBucket(keys.dedupe(routingKey, messageId), StringCodec.INSTANCE).get();
        return owner == null ? null : MessagePosition.parse(owner);
    }

    @Override
    public String toString() {
        return "RedisDedupeWindow[" + keys + "]";
    }
}
