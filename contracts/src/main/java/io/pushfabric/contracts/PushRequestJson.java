package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The fields that every JSON form of a push request shares — on {@code push-requests}, on node topics and
 * in push frames — written once, in one order: target, {@code messageId}, {@code createdAt},
 * {@code expiresAt}, {@code receipt} (only when true), {@code payload} (its bytes as produced, never re-serialised).
 */
public final class PushRequestJson {
    private PushRequestJson() {
    }

    /** @param withExpiry false for client frames, which never carry the expiry */
    public static void writeFields(JsonGenerator g, PushRequest r, boolean withExpiry) throws IOException {
        if (r.isChannel()) {
            g.writeStringField("channel", r.channel().value());
        } else if (r.isBroadcast()) {
            g.writeBooleanField("broadcast", true);
        } else {
            g.writeStringField("user", r.user().value());
        }
        if (r.messageId() != null) {
            g.writeStringField("messageId", r.messageId());
        }
        if (r.createdAt() != null) {
            g.writeNumberField("createdAt", r.createdAt());
        }
        if (withExpiry && r.expiresAt() != null) {
            g.writeNumberField("expiresAt", r.expiresAt());
        }
        if (r.receipt()) {
            g.writeBooleanField("receipt", true);
        }
        g.writeFieldName("payload");
        r.payload().writeTo(g);
    }
}
