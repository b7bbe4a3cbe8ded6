package io.pushfabric.dispatcher.loop;

import io.pushfabric.contracts.MessagePosition;
import java.util.Objects;

/**
 * One record read from {@code push-requests}, as the batch dispatcher sees it: where it sits, its key and
 * value, and whether it carries the control-marker header.
 */
public record PolledRecord(MessagePosition position, String key, byte[] value, boolean controlMarker) {
    public PolledRecord {
        Objects.requireNonNull(position, "position");
    }
}
