package io.pushfabric.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TestInfraTest {

    @Test
    void kafkaBootstrapIsSharedAndAcceptsTopics() throws Exception {
        String bootstrap = TestInfra.kafkaBootstrap();
        assertThat(TestInfra.kafkaBootstrap()).isSameAs(bootstrap);
        String topic = TestInfra.uniqueName("testinfra");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
        }
    }

    @Test
    void redisUriIsSharedAndAnswersPing() throws Exception {
        String uri = TestInfra.redisUri();
        assertThat(TestInfra.redisUri()).isSameAs(uri);
        URI parsed = URI.create(uri);
        assertThat(parsed.getScheme()).isEqualTo("redis");

        try (Socket socket = new Socket(parsed.getHost(), parsed.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("+PONG");
        }
    }

    @Test
    void uniqueNameKeepsThePrefixAndDiffers() {
        String first = TestInfra.uniqueName("orders");
        String second = TestInfra.uniqueName("orders");

        assertThat(first).matches("orders-[0-9a-f]{8}");
        assertThat(first).isNotEqualTo(second);
    }
}
