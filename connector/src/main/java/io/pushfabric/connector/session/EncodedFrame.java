package io.pushfabric.connector.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One text frame for clients, already encoded to UTF-8 and never changed afterwards: a push that reaches many
 * sockets (a broadcast, a channel, a user with several sessions) is encoded once and each socket writes a view
 * of the same bytes.
 */
public final class EncodedFrame {
    private final ByteBuffer utf8;

    private EncodedFrame(byte[] utf8) {
        this.utf8 = ByteBuffer.wrap(utf8).asReadOnlyBuffer();
    }

    /** Encodes {@code text} to UTF-8 once. */
    public static EncodedFrame of(String text) {
        return new EncodedFrame(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** Takes {@code utf8}, a frame's UTF-8 text, without copying: the caller hands it over and never changes it. */
    public static EncodedFrame ofUtf8(byte[] utf8) {
        return new EncodedFrame(Objects.requireNonNull(utf8, "utf8"));
    }

    /**
     * The frame's bytes, as a fresh read-only view with a position of its own: a writer may consume it while
     * others write the same frame to other sockets.
     */
    public ByteBuffer bytes() {
        return utf8.duplicate();
    }

    /** The frame decoded back to text (for tests and logs; the send path writes {@link #bytes()}). */
    public String text() {
        return StandardCharsets.UTF_8.decode(bytes()).toString();
    }

    @Override
    public String toString() {
        return "frame of " + utf8.remaining() + " bytes";
    }
}
