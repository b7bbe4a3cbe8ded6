package io.pushfabric.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void defaultsPointAtALocalBrokerAndTheDefaultTopics() {
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of()));

        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.topics()).isEqualTo(Topics.DEFAULT);
        assertThat(settings.clientProperties()).isEmpty();
    }

    @Test
    void deadLetterTopicFollowsTheRequestsTopic() {
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of(
                "PUSH_KAFKA_BOOTSTRAP", "broker:9093", "PUSH_TOPIC_REQUESTS", "orders")));

        assertThat(settings.bootstrapServers()).isEqualTo("broker:9093");
        assertThat(settings.topics()).isEqualTo(new Topics("orders", "orders.dlq", "push.node."));
    }

    @Test
    void kafkaVariablesPassThroughAsClientProperties() {
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_", "ignored",
                "PUSH_OTHER", "ignored")));

        assertThat(settings.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SSL",
                "sasl.mechanism", "PLAIN"));
    }

    @Test
    void redactedHidesPasswordsAndJaasConfig() {
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SSL_KEYSTORE_PASSWORD", "hunter2",
                "KAFKA_SASL_JAAS_CONFIG", "PlainLoginModule required password=\"hunter2\";")));

        assertThat(settings.redacted()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "ssl.keystore.password", "****",
                "sasl.jaas.config", "****"));
        assertThat(settings.redacted().values()).noneMatch(v -> v.contains("hunter2"));
    }

    @Test
    void clientConfigLayersDefaultsThenPassThroughThenBootstrapAndKeepsProtectedSettings() {
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of(
                "PUSH_KAFKA_BOOTSTRAP", "broker:9092",
                "KAFKA_ACKS", "1",
                "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092")));

        Map<String, Object> config = settings.clientConfig(Map.of("acks", "all", "linger.ms", "5"));

        assertThat(config)
                .containsEntry("acks", "all")
                .containsEntry("linger.ms", "5")
                .containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void redactedHidesAPemPrivateKey() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of(
                "KAFKA_SSL_KEYSTORE_TYPE", "PEM",
                "KAFKA_SSL_KEYSTORE_KEY", pem)));

        assertThat(settings.redacted()).containsEntry("ssl.keystore.type", "PEM");
        assertThat(settings.redacted().get("ssl.keystore.key")).isEqualTo("****");
    }

    @Test
    void passThroughTunesClientsButCannotWeakenTheGuarantees() {
        KafkaSettings settings = KafkaSettings.fromEnv(new Env(Map.of(
                "KAFKA_ACKS", "1",
                "KAFKA_ENABLE_AUTO_COMMIT", "true",
                "KAFKA_GROUP_ID", "hijack",
                "KAFKA_LINGER_MS", "7",
                "KAFKA_SECURITY_PROTOCOL", "SSL")));
        Map<String, Object> config = settings.clientConfig(Map.of("acks", "all", "enable.auto.commit", false,
                "group.id", "pushfabric-dispatcher", "linger.ms", 1));
        assertThat(config).containsEntry("acks", "all").containsEntry("enable.auto.commit", false)
                .containsEntry("group.id", "pushfabric-dispatcher")
                .containsEntry("linger.ms", "7").containsEntry("security.protocol", "SSL");
    }
}
