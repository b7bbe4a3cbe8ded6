package io.pushfabric.dispatcher.dlq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one redrive did: how many dead letters went back to {@code push-requests}, and how many were
 * refused, by reason, with the first few refused ones as examples.
 */
public record RedriveReport(long redriven, Map<String, Long> refused, List<String> examples) {
    static final int MAX_EXAMPLES = 10;

    public RedriveReport {
        refused = Map.copyOf(refused);
        examples = List.copyOf(examples);
    }

    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    static final class Builder {
        private long redriven;
        private final Map<String, Long> refused = new TreeMap<>();
        private final List<String> examples = new ArrayList<>();

        void add(DeadLetter letter, RedriveDecision.Outcome outcome) {
            if (outcome instanceof RedriveDecision.Refuse r) {
                refused.merge(r.reason(), 1L, Long::sum);
                if (examples.size() < MAX_EXAMPLES) {
                    examples.add(letter.position().id() + " " + r.reason() + ": " + r.detail());
                }
            } else {
                redriven++;
            }
        }

        RedriveReport build() {
            return new RedriveReport(redriven, new TreeMap<>(refused), examples);
        }
    }
}
