package io.pushfabric.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.Json;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket listener that keeps every text frame, parsed, for a test to take in order. */
class Frames implements WebSocket.Listener {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(Json.MAPPER.readTree(partial.toString()));
            } catch (IOException e) {
                throw new AssertionError("server sent a frame that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The next frame, waiting up to 20 s. */
    JsonNode next() throws InterruptedException {
        JsonNode frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(frame).as("a frame within " + WAIT).isNotNull();
        return frame;
    }
}
