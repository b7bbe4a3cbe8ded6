package io.pushfabric.contracts;

/**
 * Every WebSocket close code pushfabric sends, in one place. 1000-1015 are RFC 6455's; pushfabric's own
 * codes sit in 4000-4099, and every one of them means: reconnect, with the cursor, after a
 * backoff with full jitter. A refused upgrade is an HTTP status (401, 403, 429, 503), not a close code.
 */
public final class CloseCodes {
    /** Normal closure, e.g. the client asked. */
    public static final int NORMAL = 1000;
    /** The node is shutting down; reconnect (any node) with the cursor. */
    public static final int GOING_AWAY = 1001;
    /** The node is draining or restarting; reconnect with the cursor after the advised delay. */
    public static final int SERVICE_RESTART = 1012;
    /** The client sent frames faster than {@code PUSH_CLIENT_FRAMES_PER_SECOND}; reconnect, slower. */
    public static final int POLICY_VIOLATION = 1008;
    /** The client sent a message larger than {@code PUSH_MAX_CLIENT_FRAME_BYTES}; do not resend it. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Unexpected server error; reconnect with the cursor, with backoff. */
    public static final int INTERNAL_ERROR = 1011;

    /** The client read too slowly and its send queue filled; reconnect with the cursor. */
    public static final int SLOW_CONSUMER = 4000;
    /** The node lost its lease (it may have missed deliveries); reconnect with the cursor. */
    public static final int NODE_FENCED = 4001;
    /** An operator disconnected this user; reconnect with the cursor. */
    public static final int DISCONNECTED_BY_ADMIN = 4002;
    /** The connection reached its maximum lifetime; reconnect with the cursor. */
    public static final int LIFETIME_EXPIRED = 4003;
    /** The client sent nothing, not even a pong, for the idle timeout; reconnect with the cursor. */
    public static final int IDLE_TIMEOUT = 4004;
    /**
     * The session's token expired and no {@code refresh} frame brought a fresh one in time; reconnect with a
     * fresh token and the cursor.
     */
    public static final int TOKEN_EXPIRED = 4005;

    private CloseCodes() {
    }
}
