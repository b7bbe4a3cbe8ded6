package io.pushfabric.dispatcher.api;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the requests of one HTTP call and answers once Kafka acknowledged each, or once the publish timeout
 * has passed: the call holds no thread meanwhile. Requests are handed to the producer in body order, so two
 * requests for one user keep their order in the log. Once Kafka is known to be unavailable (a request failed, or
 * the time is up), the requests not yet handed over are not sent at all: each answer says which were published.
 */
final class PublishEndpoint {
    private final RequestPublisher publisher;
    private final Duration timeout;
    private final Clock clock;

    PublishEndpoint(RequestPublisher publisher, Duration timeout, Clock clock) {
        this.publisher = publisher;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** @return each request's outcome, in body order; completes within the publish timeout */
    CompletableFuture<List<PublishOutcome>> publish(List<PushRequest> requests) {
        long deadline = clock.millis() + timeout.toMillis();
        List<CompletableFuture<MessagePosition>> sent = new ArrayList<>(requests.size());
        for (PushRequest request : requests) {
            if (clock.millis() >= deadline || sent.stream().anyMatch(CompletableFuture::isCompletedExceptionally)) {
                break;
            }
            sent.add(publisher.publish(request));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, Math.max(0, deadline - clock.millis()), TimeUnit.MILLISECONDS)
                // Each request's own outcome is read here, whatever the others' were.
                .handle((allDone, failed) -> {
                    List<PublishOutcome> outcomes = new ArrayList<>(requests.size());
                    for (int i = 0; i < requests.size(); i++) {
                        outcomes.add(outcome(requests.get(i), i < sent.size() ? sent.get(i) : null));
                    }
                    return outcomes;
                });
    }

    private PublishOutcome outcome(PushRequest request, CompletableFuture<MessagePosition> sent) {
        if (sent == null) {
            return PublishOutcome.failed(request, "not sent: Kafka was unavailable for an earlier request of this call",
                    false);
        }
        if (!sent.isDone()) {
            return PublishOutcome.failed(request, "Kafka did not acknowledge within " + timeout.toMillis()
                    + " ms; it may still be written (retry with the same messageId to have it delivered once)", false);
        }
        try {
            return PublishOutcome.published(request, sent.getNow(null));
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RequestPublisher.PublishFailedException failed) {
                return PublishOutcome.failed(request, failed.getMessage(), failed.tooLarge());
            }
            return PublishOutcome.failed(request, "Kafka did not take the request: " + cause, false);
        }
    }
}
