package io.pushfabric.contracts.receipts;

import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.config.ConfigException;
import java.util.Locale;

/** {@code PUSH_RECEIPTS}: which push requests get receipts. */
public enum ReceiptMode {
    /** Those whose request says {@code "receipt":true} (the default). */
    REQUESTED,
    /** Every request, whatever it says. */
    ALL,
    /** None, whatever the request says. */
    OFF;

    public boolean wants(PushRequest request) {
        return this == ALL || (this == REQUESTED && request.receipt());
    }

    public static ReceiptMode parse(String variable, String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable + " must be one of requested, all, off; was '" + text + "'");
        }
    }
}
