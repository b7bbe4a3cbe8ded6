package io.pushfabric.dispatcher.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch the JDK's server reads for {@code TCP_NODELAY}. What it is for (answers on kept-alive connections
 * 5 ms instead of 48 ms apart) is a timing, measured with wrk in benchmarks.md, not asserted here.
 */
class JdkHttpServersTest {
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(JdkHttpServers.NODELAY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(JdkHttpServers.NODELAY);
        } else {
            System.setProperty(JdkHttpServers.NODELAY, before);
        }
    }

    @Test
    void serversAreCreatedWithNagleOff() throws Exception {
        System.clearProperty(JdkHttpServers.NODELAY);

        HttpServer server = JdkHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 1);
        server.stop(0);

        assertThat(System.getProperty(JdkHttpServers.NODELAY)).isEqualTo("true");
    }

    @Test
    void anOperatorsExplicitChoiceIsKept() throws Exception {
        System.setProperty(JdkHttpServers.NODELAY, "false");

        HttpServer server = JdkHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 1);
        server.stop(0);

        assertThat(System.getProperty(JdkHttpServers.NODELAY)).isEqualTo("false");
    }
}
