package io.pushfabric.contracts;

/** A push request that can never be delivered; it belongs in the dead-letter topic, with the reason. */
public final class InvalidPushRequestException extends Exception {
    /** Why a request was rejected; the name is what the dead-letter header carries. */
    public enum Reason {
        NOT_JSON,
        BAD_SCHEMA,
        UNSUPPORTED_VERSION,
        KEY_MISMATCH,
        PAYLOAD_TOO_LARGE
    }

    private final Reason reason;

    public InvalidPushRequestException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return getMessage().substring(reason.name().length() + 2);
    }
}
