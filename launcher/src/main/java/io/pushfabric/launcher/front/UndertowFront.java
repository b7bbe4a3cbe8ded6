package io.pushfabric.launcher.front;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev fabric's front door, standing in for the load balancer of a real deployment.
 *
 * <ul>
 *   <li>{@code /ws}: reverse-proxied, round robin, to the connectors with Undertow's
 *       {@link LoadBalancingProxyClient}. The WebSocket upgrade, including a 401 for a missing or bad
 *       token, passes through unchanged; after the 101 the proxy only copies bytes both ways.</li>
 *   <li>{@code /}: the dev page ({@code web/index.html} on the classpath).</li>
 *   <li>{@code /pushfabric.js}: the JavaScript SDK the page runs on ({@code clients/js/src/pushfabric.js},
 *       copied to {@code web/} on the classpath by the build).</li>
 *   <li>{@code /api/token}, {@code /api/publish}: see {@link FrontApi}.</li>
 * </ul>
 *
 * <p>Routing is a plain switch on the request path rather than Undertow's {@code PathHandler}: the
 * proxy strips a handler's resolved path from the URI it forwards, and {@code /ws} must reach the
 * connectors as {@code /ws}.
 */
public final class UndertowFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UndertowFront.class);
    private static final String PAGE = "/web/index.html";
    private static final String SDK = "/web/pushfabric.js";
    /** Backend connections per connector and front I/O thread: 2 threads x 2 connectors x 512 = 2,048 at once. */
    private static final int CONNECTIONS_PER_IO_THREAD = 512;
    /** Requests that wait for a backend connection, per connector and I/O thread, before the front answers 503. */
    private static final int QUEUED_PER_IO_THREAD = 1_024;

    private final Undertow undertow;
    private final LoadBalancingProxyClient backends;

    private UndertowFront(Undertow undertow, LoadBalancingProxyClient backends) {
        this.undertow = undertow;
        this.backends = backends;
    }

    /**
     * @param connectors each connector's base URI, e.g. {@code http://127.0.0.1:8081}
     */
    public static UndertowFront start(String host, int port, List<URI> connectors, FrontApi api) {
        if (connectors.isEmpty()) {
            throw new IllegalArgumentException("the front needs at least one connector");
        }
        // Each upgrade in flight holds a backend connection until the connector answers, and Undertow answers
        // 503 as soon as every connection is busy and the wait queue is full. Size both for a burst
        // (a load test, a reconnect wave, a page with many tabs) rather than for steady traffic.
        LoadBalancingProxyClient backends = new LoadBalancingProxyClient()
                .setConnectionsPerThread(CONNECTIONS_PER_IO_THREAD)
                .setMaxQueueSize(QUEUED_PER_IO_THREAD);
        connectors.forEach(backends::addHost);
        HttpHandler proxy = ProxyHandler.builder()
                .setProxyClient(backends)
                .setMaxRequestTime(-1)
                .setMaxConnectionRetries(1)
                .build();
        ByteBuffer page = ByteBuffer.wrap(read(PAGE)).asReadOnlyBuffer();
        ByteBuffer sdk = ByteBuffer.wrap(read(SDK)).asReadOnlyBuffer();
        HttpHandler routes = exchange -> {
            switch (exchange.getRequestPath()) {
                case "/ws" -> proxy.handleRequest(exchange);
                case "/", "/index.html" -> file(exchange, "text/html; charset=utf-8", page.duplicate());
                case "/pushfabric.js" -> file(exchange, "text/javascript; charset=utf-8", sdk.duplicate());
                case "/api/token" -> {
                    if (allow(exchange, Methods.GET_STRING)) {
                        api.token(exchange);
                    }
                }
                case "/api/publish" -> {
                    if (allow(exchange, Methods.POST_STRING)) {
                        api.publish(exchange);
                    }
                }
                default -> plain(exchange, StatusCodes.NOT_FOUND, "not found: " + exchange.getRequestPath() + "\n");
            }
        };
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(2)
                .setWorkerThreads(4)
                .setHandler(routes)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The front cannot listen on " + host + ":" + port
                    + " (is it taken? choose another with --port): " + e.getMessage(), e);
        }
        UndertowFront front = new UndertowFront(undertow, backends);
        LOG.info("Front listening on {}:{}, proxying /ws to {}", host, front.port(), connectors);
        return front;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        backends.closeCurrentConnections();
        undertow.stop();
    }

    private static boolean allow(HttpServerExchange exchange, String method) {
        if (exchange.getRequestMethod().toString().equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, method);
        plain(exchange, StatusCodes.METHOD_NOT_ALLOWED, "use " + method + "\n");
        return false;
    }

    private static void file(HttpServerExchange exchange, String type, ByteBuffer body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseSender().send(body);
    }

    private static void plain(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = UndertowFront.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }
}
