package io.pushfabric.connector.limits;

import io.pushfabric.contracts.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Decides whether an upgrade may go ahead, cheapest and most protective checks first, and before anything
 * is written anywhere (no route, no {@code session-opened} marker for a refused upgrade):
 * <ol>
 *   <li>{@link #enter}, before the token is verified: heap pressure (503), node full (503), the source
 *       address's connect rate (429);</li>
 *   <li>{@link #admit}, once the user is known: the user's connect rate (429), the user's sessions on this
 *       node (429; the newest upgrade is refused, the sessions already open are kept).</li>
 * </ol>
 */
public final class UpgradeGate {
    /** Advice to a client shed for load: long enough to let the balancer move it elsewhere. */
    static final Duration SHED_RETRY = Duration.ofSeconds(5);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ConnectionSlots slots;
    private final BooleanSupplier memoryPressure;
    private final TokenBuckets addresses;
    private final TokenBuckets users;
    private final LimitMetrics metrics;

    public UpgradeGate(LimitSettings settings, ConnectionSlots slots, BooleanSupplier memoryPressure,
                       LimitMetrics metrics, Clock clock) {
        this.slots = slots;
        this.memoryPressure = memoryPressure;
        this.metrics = metrics;
        long keys = Math.max(10_000, settings.maxConnections());
        this.addresses = new TokenBuckets(settings.connectsPerAddressPerMinute(), MINUTE, keys, clock);
        this.users = new TokenBuckets(settings.connectsPerUserPerMinute(), MINUTE, keys, clock);
    }

    /** Either a slot held for this upgrade, or the refusal. */
    public record Entry(ConnectionSlots.Slot slot, Refusal refusal) {
    }

    /** The node-wide checks and the source address's rate. */
    public Entry enter(String address) {
        if (memoryPressure.getAsBoolean()) {
            return new Entry(null, refuse(Refusal.Reason.MEMORY, SHED_RETRY));
        }
        ConnectionSlots.Slot slot = slots.tryReserve();
        if (slot == null) {
            return new Entry(null, refuse(Refusal.Reason.FULL, SHED_RETRY));
        }
        Duration wait = addresses.take(address);
        if (!wait.isZero()) {
            slot.release();
            return new Entry(null, refuse(Refusal.Reason.ADDRESS_RATE, wait));
        }
        return new Entry(slot, null);
    }

    /**
     * The user's checks; on refusal the caller releases the slot.
     *
     * @return null when the user may connect
     */
    public Refusal admit(ConnectionSlots.Slot slot, UserId user) {
        Duration wait = users.take(user.value());
        if (!wait.isZero()) {
            return refuse(Refusal.Reason.USER_RATE, wait);
        }
        if (!slot.claimFor(user)) {
            return refuse(Refusal.Reason.USER_SESSIONS, Duration.ZERO);
        }
        return null;
    }

    /** The node is draining: counted like the other refusals. */
    public Refusal draining() {
        return refuse(Refusal.Reason.DRAINING, Duration.ZERO);
    }

    /** The node cannot take sessions now (fenced, or cut off from Redis or Kafka). */
    public Refusal notReady() {
        return refuse(Refusal.Reason.NOT_READY, Duration.ZERO);
    }

    /** Why a load balancer should stop sending upgrades here, or null when it may. */
    public Refusal.Reason notReadyReason() {
        if (memoryPressure.getAsBoolean()) {
            return Refusal.Reason.MEMORY;
        }
        return slots.isFull() ? Refusal.Reason.FULL : null;
    }

    private Refusal refuse(Refusal.Reason reason, Duration retryAfter) {
        metrics.refused(reason);
        return new Refusal(reason, retryAfter);
    }
}
