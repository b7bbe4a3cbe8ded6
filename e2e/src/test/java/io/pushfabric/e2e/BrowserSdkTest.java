package io.pushfabric.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.connector.ConnectorApp;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.embedded.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaScript SDK ({@code clients/js}) in a real headless Chromium: a page that uses it receives a
 * stream while the connector it is on is killed with SIGKILL, then while the next one drains, and its own
 * ledger shows nothing lost, nothing twice, order kept, no resync; then the same page comes back with its
 * first cursor, by then too old, and gets exactly one {@code resync}.
 */
class BrowserSdkTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserSdkTest.class);
    private static final String USER = "browser-alice";
    private static final int MESSAGES = 300;
    /** Far above what a page misses in a kill or a drain, even on a loaded machine; the stale phase goes past it. */
    private static final int REPLAY_LIMIT = 1_000;

    @Test
    void aPageOnTheSdkLosesNothingThroughAKillAndADrainAndResyncsOnATooOldCursor() throws Exception {
        Path chromium = Chromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, "SKIPPED: no chromium on PATH (Debian: apt-get install -y chromium;"
                + " .ci/run installs it); the browser test of the JavaScript SDK did not run");
        Map<String, String> env = Map.of("PUSH_LEASE_TTL_MS", "3000", "PUSH_HEARTBEAT_MS", "1000",
                "PUSH_DRAIN_WINDOW_MS", "1500", "PUSH_REPLAY_MAX_MESSAGES", Integer.toString(REPLAY_LIMIT));
        try (Fabric fabric = Fabric.start(0, 1, env)) {
            int portA = FreePorts.pick();
            // A runs in its own JVM so that it can die by SIGKILL; it starts while B and C start in this one.
            CompletableFuture<ServiceProcess> startingA = CompletableFuture.supplyAsync(() -> ServiceProcess.start(
                    "browser-connector-a", "io.pushfabric.connector.ConnectorMain",
                    FailureTest.connectorEnv(fabric, 0, portA), portA));
            Map<String, ConnectorApp> inProcess = new HashMap<>();
            try {
                inProcess.put(fabric.nodeId(1), fabric.startConnector(1));
                inProcess.put(fabric.nodeId(2), fabric.startConnector(2));
            } catch (RuntimeException e) {
                startingA.thenAccept(ServiceProcess::close).exceptionally(x -> null).join();
                throw e;
            }
            try (ServiceProcess a = startingA.join();
                 LedgerPageServer page = LedgerPageServer.start(fabric::token)) {
                List<String> urls = List.of("ws://127.0.0.1:" + portA + "/ws", fabric.wsUrl(1), fabric.wsUrl(2));
                try (Chromium browser = Chromium.open(chromium, page.pageUri(USER, urls))) {
                    awaitConnected(page, browser, 1);
                    assertThat(nodes(page)).containsExactly(fabric.nodeId(0));

                    Stream stream = new Stream(fabric.publisher(), List.of(USER), MESSAGES, 50, 10).start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= MESSAGES / 3);
                    LOG.info("Killing connector A (pid {}) under the page", a.pid());
                    a.kill9();
                    awaitConnected(page, browser, 2);
                    String second = nodes(page).get(1);
                    assertThat(second).as("the session after the kill").isNotEqualTo(fabric.nodeId(0));
                    await().atMost(Duration.ofSeconds(30)).until(() -> stream.published() >= 2 * MESSAGES / 3);
                    LOG.info("Draining connector {} under the page", second);
                    CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(inProcess.get(second)::drain);
                    awaitConnected(page, browser, 3);
                    assertThat(drain.get()).as("sessions left on %s after its drain", second).isZero();

                    List<String> expected = stream.expected().get(USER);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                            !page.ledger().path("resyncs").isEmpty()
                                    || texts(page.ledger().path("received")).containsAll(expected));
                    JsonNode ledger = page.ledger();
                    List<String> received = texts(ledger.path("received"));
                    assertThat(ledger.path("resyncs")).as("no resync while the cursor is good").isEmpty();
                    List<String> nodes = nodes(page);
                    assertThat(nodes.get(2)).as("the session after the drain of %s", second).isNotIn(fabric.nodeId(0), second);
                    assertThat(new HashSet<>(received)).as("0 lost").containsExactlyInAnyOrderElementsOf(expected);
                    assertThat(received).as("0 duplicates").doesNotHaveDuplicates().hasSameSizeAs(expected);
                    assertThat(ledger.path("duplicates").asInt()).as("duplicates the page saw").isZero();
                    assertThat(ledger.path("outOfOrder").asInt()).as("pushes behind an earlier one of their partition").isZero();
                    assertThat(ledger.path("connected")).allMatch(c -> c.path("recovered").asBoolean());
                    LOG.info("The page got {} messages over {} sessions, 0 lost, 0 duplicates, in order; closes: {}",
                            received.size(), ledger.path("connected").size(), ledger.path("disconnected"));

                    // The page's first cursor is now 300 messages old; make it older than the replay limit.
                    List<CompletableFuture<?>> more = new ArrayList<>();
                    for (int i = 0; i <= REPLAY_LIMIT; i++) {
                        more.add(fabric.publisher().publish(PushRequest.toUser(UserId.of(USER),
                                Json.MAPPER.createObjectNode().put("more", i))));
                    }
                    CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).join();
                    page.command("stale");
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .until(() -> page.ledger().path("stale").path("connected").size() >= 1);
                    JsonNode stale = page.ledger().path("stale");
                    List<String> reasons = new ArrayList<>();
                    stale.path("resyncs").forEach(r -> reasons.add(r.path("reason").asText()));
                    assertThat(reasons).as("resync exactly once, for the too-old cursor").containsExactly("replay_limit");
                    assertThat(stale.path("connected").get(0).path("recovered").asBoolean()).isFalse();
                }
            }
        }
    }

    private static void awaitConnected(LedgerPageServer page, Chromium browser, int sessions) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(browser.isAlive()).as("chromium is running (log: %s)", browser.log()).isTrue();
            return page.ledger().path("connected").size() >= sessions;
        });
    }

    private static List<String> nodes(LedgerPageServer page) {
        List<String> nodes = new ArrayList<>();
        page.ledger().path("connected").forEach(c -> nodes.add(c.path("node").asText()));
        return nodes;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
