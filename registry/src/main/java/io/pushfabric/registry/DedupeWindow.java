package io.pushfabric.registry;

import io.pushfabric.contracts.MessagePosition;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Producer message ids seen recently. The first position that claims an id owns it for the window; a
 * later claim of the same id from another position is a duplicate. A claim from the owning position
 * again (a dispatcher re-reading after a crash, or a replay) is not a duplicate, so nothing is lost when
 * a message is handled twice.
 */
public interface DedupeWindow {

    /** One message id seen at one position of {@code push-requests}. */
    record Claim(String messageId, MessagePosition position) {
    }

    /**
     * Claims every id in the batch, in order, in one round trip. Two claims of one id inside the batch
     * behave as if made one after the other.
     *
     * @return the positions whose id another position already owns (duplicates to drop)
     */
    Set<MessagePosition> claim(List<Claim> claims, Duration window);

    /** The position that owns {@code messageId} now, or null when the id is not in the window. */
    MessagePosition owner(String messageId);
}
