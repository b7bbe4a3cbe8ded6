package io.pushfabric.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushfabric.connector.session.EncodedFrame;
import io.pushfabric.contracts.CloseCodes;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.XnioIoThread;

/**
 * A session's socket over a real Undertow server and the JDK's WebSocket client: frames sent from several threads,
 * written by the I/O thread several at a time, arrive whole, in order, once, then the close; the send queue's
 * bound holds for a client that stops reading, and drains when it reads again.
 */
class UndertowSessionTest {
    private static final int SEND_QUEUE_LIMIT = 50;

    private final Map<XnioIoThread, IoThreadWrites> writes = new ConcurrentHashMap<>();
    private final BlockingQueue<UndertowSession> opened = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Undertow server;

    @BeforeEach
    void start() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setHandler(Handlers.websocket((exchange, channel) -> {
                    opened.add(new UndertowSession(channel,
                            writes.computeIfAbsent(channel.getIoThread(), t -> new IoThreadWrites(t, n -> { })),
                            SEND_QUEUE_LIMIT, 0L));
                    channel.resumeReceives();
                }))
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /**
     * A client that keeps the text frames it gets (a long one as its length); while paused it asks for no more,
     * so it stops reading.
     */
    private static final class Client implements WebSocket.Listener {
        final List<String> texts = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean paused;
        private volatile Integer closeCode;
        private WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                synchronized (this) {
                    texts.add(partial.length() > 100 ? "length " + partial.length() : partial.toString());
                }
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            return null;
        }

        void resume() {
            paused = false;
            socket.request(1);
        }

        synchronized List<String> texts() {
            return List.copyOf(texts);
        }
    }

    private UndertowSession connect(Client client) throws Exception {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), client)
                .get(10, TimeUnit.SECONDS);
        UndertowSession session = opened.poll(10, TimeUnit.SECONDS);
        assertThat(session).as("upgraded").isNotNull();
        return session;
    }

    @Test
    void framesFromSeveralThreadsArriveWholeOnceInOrderAndTheCloseAfterThem() throws Exception {
        Client client = new Client();
        UndertowSession session = connect(client);
        int senders = 4;
        int perSender = SEND_QUEUE_LIMIT / senders;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch sent = new CountDownLatch(senders);
        try {
            for (int t = 0; t < senders; t++) {
                String prefix = "é✓𝄞-" + t + ":";
                pool.execute(() -> {
                    for (int i = 0; i < perSender; i++) {
                        assertThat(session.send(EncodedFrame.of(prefix + i))).isTrue();
                    }
                    sent.countDown();
                });
            }
            assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        session.close(CloseCodes.SLOW_CONSUMER, "send queue full");

        await().atMost(Duration.ofSeconds(10)).until(() -> client.closeCode != null);
        assertThat(client.closeCode).isEqualTo(CloseCodes.SLOW_CONSUMER);
        List<String> texts = client.texts();
        assertThat(texts).as("every frame before the close").hasSize(senders * perSender);
        for (int t = 0; t < senders; t++) {
            String prefix = "é✓𝄞-" + t + ":";
            assertThat(texts.stream().filter(s -> s.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(IntStream.range(0, perSender).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void aClientThatStopsReadingFillsTheSendQueueAndReadingAgainDrainsIt() throws Exception {
        Client client = new Client();
        client.paused = true;
        UndertowSession session = connect(client);
        EncodedFrame big = EncodedFrame.of("x".repeat(64 * 1024));
        int accepted = 0;
        while (session.send(big)) { // the socket's buffers fill, then the send queue
            accepted++;
            assertThat(accepted).as("the socket's buffers are finite").isLessThan(100_000);
        }
        assertThat(session.queued()).as("never more than the limit unwritten").isLessThanOrEqualTo(SEND_QUEUE_LIMIT);
        CountDownLatch room = new CountDownLatch(1);
        while (session.sendWhenRoom(big, room::countDown)) { // a stream gets the lower half of the queue only
            accepted++;
            assertThat(accepted).isLessThan(100_000);
        }

        client.resume();

        assertThat(room.await(10, TimeUnit.SECONDS)).as("told when the queue drained below half").isTrue();
        int expected = accepted;
        await().atMost(Duration.ofSeconds(30)).until(() -> client.texts().size() == expected);
        assertThat(client.texts()).containsOnly("length " + 64 * 1024);
        await().atMost(Duration.ofSeconds(10)).until(() -> session.queued() == 0);
        assertThat(client.closeCode).isNull();
    }
}
