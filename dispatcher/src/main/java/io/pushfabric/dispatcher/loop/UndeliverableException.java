package io.pushfabric.dispatcher.loop;

import java.util.Objects;

/** A send refused before it left: the sink already knows it would fail, and for how wide a reason. */
public final class UndeliverableException extends RuntimeException {
    private final FailureScope scope;

    public UndeliverableException(FailureScope scope, String message) {
        super(message);
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public FailureScope scope() {
        return scope;
    }
}
