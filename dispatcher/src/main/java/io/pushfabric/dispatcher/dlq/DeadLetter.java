package io.pushfabric.dispatcher.dlq;

import io.pushfabric.contracts.MessagePosition;
import java.util.List;
import java.util.Objects;

/**
 * One record of the dead-letter topic, as the dispatcher wrote it: the rejected record's key, value and
 * headers, plus why ({@value #REASON}), a sentence ({@value #DETAIL}) and where it came from
 * ({@value #SOURCE}, {@code topic/partition/offset}).
 *
 * @param position where the dead letter itself sits in the dead-letter topic
 * @param headers  the original record's headers, without the dead-letter ones
 */
public record DeadLetter(MessagePosition position, long timestamp, String key, byte[] value, String reason,
                         String detail, String source, List<Header> headers) {
    public static final String REASON = "pf-dlq-reason";
    public static final String DETAIL = "pf-dlq-detail";
    public static final String SOURCE = "pf-dlq-source";
    /** On a redriven record: the {@value #SOURCE} of the dead letter it was redriven from. */
    public static final String REDRIVEN_FROM = "pf-dlq-redriven-from";

    /** One original header. */
    public record Header(String key, byte[] value) {
        public Header {
            Objects.requireNonNull(key, "key");
        }
    }

    public DeadLetter {
        Objects.requireNonNull(position, "position");
        reason = reason == null ? "UNKNOWN" : reason;
        detail = detail == null ? "" : detail;
        source = source == null ? "" : source;
        headers = List.copyOf(headers);
    }

    /** True for the headers the dispatcher adds when it dead-letters a record. */
    static boolean isDeadLetterHeader(String key) {
        return key.equals(REASON) || key.equals(DETAIL) || key.equals(SOURCE);
    }
}
