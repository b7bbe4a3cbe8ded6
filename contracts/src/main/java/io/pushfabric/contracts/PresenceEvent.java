package io.pushfabric.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One presence transition of a user, as written to the presence topic ({@code push-presence}), keyed by the
 * user id: {@code online} when the user's first live session in the fleet was seen, {@code offline} when the
 * last one has been gone for the grace period. Format in {@code docs/protocol.md} §7.
 *
 * @param sessions the user's live sessions in the fleet when the transition was decided (0 for offline)
 * @param version  strictly increasing per user, across dispatchers and restarts; a consumer keeps, per user,
 *                 the event with the highest version and ignores any with a lower one
 * @param at       epoch millis (Redis's clock) of the decision
 */
public record PresenceEvent(UserId user, State state, int sessions, long version, long at) {

    public enum State {
        ONLINE("online"),
        OFFLINE("offline");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static State fromWire(String wire) {
            for (State s : values()) {
                if (s.wire.equals(wire)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown presence state '" + wire + "'");
        }
    }

    public PresenceEvent {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(state, "state");
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must be >= 0, was " + sessions);
        }
        if (state == State.OFFLINE && sessions != 0) {
            throw new IllegalArgumentException("an offline user has no sessions, was " + sessions);
        }
        if (state == State.ONLINE && sessions == 0) {
            throw new IllegalArgumentException("an online user has at least one session");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
    }

    /** The record key: the user id, so a compacted topic keeps each user's latest state. */
    public String key() {
        return user.value();
    }

    public byte[] encode() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("v", 1);
        o.put("user", user.value());
        o.put("state", state.wire());
        o.put("sessions", sessions);
        o.put("version", version);
        o.put("at", at);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static PresenceEvent decode(byte[] value) {
        try {
            JsonNode n = Json.MAPPER.readTree(value);
            if (n.path("v").asInt() != 1) {
                throw new IllegalArgumentException("unsupported version " + n.path("v"));
            }
            return new PresenceEvent(new UserId(n.path("user").asText()), State.fromWire(n.path("state").asText()),
                    n.path("sessions").asInt(), n.path("version").asLong(), n.path("at").asLong());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("bad presence event: " + e.getMessage(), e);
        }
    }
}
