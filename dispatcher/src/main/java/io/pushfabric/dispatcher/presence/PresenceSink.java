package io.pushfabric.dispatcher.presence;

import io.pushfabric.contracts.PresenceEvent;

/** Where presence transitions go. Never blocks: an event that cannot be taken now is dropped and counted. */
public interface PresenceSink {
    void publish(PresenceEvent event);
}
