package io.pushfabric.registry;

import io.pushfabric.contracts.MessagePosition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Producer message ids seen recently, per routing key: an id is a producer's name for one message to one
 * target, so the same id sent to alice and to bob names two messages. The first position that claims an
 * id for a routing key owns it for the window; a later claim of the same id for the same routing key from
 * another position is a duplicate. A claim from the owning position again (a dispatcher re-reading after
 * a crash, or a replay) is not a duplicate, so nothing is lost when a message is handled twice.
 */
public interface DedupeWindow {

    /**
     * One message id seen at one position of {@code push-requests}.
     *
     * @param routingKey the request's routing key ({@code RoutingKeys.of}): the user id, or {@code *}
     */
    record Claim(String routingKey, String messageId, MessagePosition position) {
        public Claim {
            Objects.requireNonNull(routingKey, "routingKey");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(position, "position");
        }
    }

    /**
     * Claims every id in the batch, in order, in one round trip. Two claims of one id inside the batch
     * behave as if made one after the other.
     *
     * @return the positions whose id another position already owns (duplicates to drop)
     */
    Set<MessagePosition> claim(List<Claim> claims, Duration window);

    /** The position that owns {@code messageId} of {@code routingKey} now, or null when it is not in the window. */
    MessagePosition owner(String routingKey, String messageId);
}
