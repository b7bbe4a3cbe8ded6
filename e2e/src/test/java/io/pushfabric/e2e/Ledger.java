package io.pushfabric.e2e;

import static org.awaitility.Awaitility.await;

import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each client got against what it should have got: lost (not received, and no {@code recovered:false}
 * told the client so), duplicated (seen again after dedupe by id), out of order (a message below one already
 * received on the same partition), resumes and resumes not recovered with their reasons.
 */
record Ledger(int clients, int expected, int lost, int lostAfterNotRecovered, int duplicates, int outOfOrder,
              int resumes, int notRecovered, Map<String, Integer> notRecoveredReasons) {

    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    /** Lost deliveries told in detail, at most. */
    private static final int TOLD = 10;

    /** @param expected each user's message ids, in publication order */
    static Ledger of(Collection<ResilientClient> clients, Map<String, List<String>> expected) {
        return of(clients, expected, false);
    }

    /** @param tell log each lost delivery (the first {@value #TOLD}) with what its client lived through */
    private static Ledger of(Collection<ResilientClient> clients, Map<String, List<String>> expected, boolean tell) {
        int total = 0;
        int lost = 0;
        int lostExcused = 0;
        int duplicates = 0;
        int outOfOrder = 0;
        int resumes = 0;
        int notRecovered = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (ResilientClient c : clients) {
            List<ServerFrame.Push> received = c.received();
            Set<String> got = new HashSet<>();
            Map<Integer, Long> highest = new HashMap<>();
            for (ServerFrame.Push p : received) {
                got.add(p.position().id());
                Long before = highest.put(p.position().partition(), p.position().offset());
                if (before != null && before > p.position().offset()) {
                    outOfOrder++;
                    highest.put(p.position().partition(), before);
                }
            }
            List<ServerFrame.Welcome> welcomes = c.welcomes();
            boolean toldToResync = false;
            for (int i = 1; i < welcomes.size(); i++) {
                resumes++;
                if (!welcomes.get(i).recovered()) {
                    notRecovered++;
                    toldToResync = true;
                    reasons.merge(String.valueOf(welcomes.get(i).reason()), 1, Integer::sum);
                }
            }
            for (String id : expected.getOrDefault(c.user(), List.of())) {
                total++;
                if (!got.contains(id)) {
                    if (toldToResync) {
                        lostExcused++;
                    } else {
                        lost++;
                        if (tell && lost <= TOLD) {
                            LOG.warn(lossReport(c, id, received));
                        }
                    }
                }
            }
            duplicates += c.duplicates();
        }
        return new Ledger(clients.size(), total, lost, lostExcused, duplicates, outOfOrder, resumes, notRecovered,
                reasons);
    }

    /**
     * Waits (at most {@code atMost}) until nothing is missing any more, then takes the ledger, so a test
     * can print it before it asserts, whether or not everything arrived.
     */
    static Ledger settle(Collection<ResilientClient> clients, Map<String, List<String>> expected, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> of(clients, expected).lost() == 0);
        } catch (ConditionTimeoutException e) {
            // The caller asserts on the ledger, which says what is missing.
        }
        return of(clients, expected, true);
    }

    /** The lost message, what its client got on that partition around it, and its connections. */
    private static String lossReport(ResilientClient client, String id, List<ServerFrame.Push> received) {
        int dash = id.indexOf('-');
        int partition = Integer.parseInt(id.substring(0, dash));
        long offset = Long.parseLong(id.substring(dash + 1));
        StringBuilder report = new StringBuilder("Lost ").append(id).append(" for ").append(client.user());
        for (ServerFrame.Push p : received) {
            if (p.position().partition() == partition && Math.abs(p.position().offset() - offset) <= 50) {
                String got = p.position().id();
                report.append("\n  got ").append(got).append(" at ").append(client.receivedAt(got));
            }
        }
        client.history().forEach(event -> report.append("\n  ").append(event));
        return report.toString();
    }

    @Override
    public String toString() {
        return String.format("%d clients, %d expected deliveries: %d lost, %d missed after recovered:false, "
                        + "%d duplicates dropped by id, %d out of order, %d resumes, %d not recovered %s",
                clients, expected, lost, lostAfterNotRecovered, duplicates, outOfOrder, resumes, notRecovered,
                notRecoveredReasons);
    }
}
