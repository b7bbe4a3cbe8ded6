package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.client.ClientFleet;
import java.util.ArrayList;
import java.util.List;

/** The zero-loss rule of the smoke and channel scenarios: what the ledger and the fleet found wrong. */
final class LedgerVerdict {
    private LedgerVerdict() {
    }

    /**
     * @param live  clients welcomed by the first connect
     * @param order what order the ledger checks ("per-user", "per-channel"), for the message
     * @return one line per failure; empty when the run passed
     */
    static List<String> failures(RunContext run, int live, String order) {
        ClientFleet.Stats stats = run.fleet().stats();
        long lost = run.ledger().lost(-1);
        List<String> failures = new ArrayList<>();
        if (live < run.fleet().size()) {
            failures.add((run.fleet().size() - live) + " clients never connected");
        }
        if (lost > 0) {
            failures.add(lost + " deliveries lost");
        }
        if (run.ledger().misrouted() > 0) {
            failures.add(run.ledger().misrouted() + " deliveries to the wrong client");
        }
        if (run.ledger().outOfOrder() > 0) {
            failures.add(run.ledger().outOfOrder() + " deliveries out of " + order + " order");
        }
        if (run.ledger().publishFailures() > 0) {
            failures.add(run.ledger().publishFailures() + " publishes failed");
        }
        if (stats.notRecovered() > 0) {
            failures.add(stats.notRecovered() + " resumes not recovered " + stats.notRecoveredReasons());
        }
        return failures;
    }
}
