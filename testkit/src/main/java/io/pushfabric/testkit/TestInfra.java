package io.pushfabric.testkit;

import io.pushfabric.embedded.EmbeddedKafka;
import io.pushfabric.embedded.RedisServerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Kafka and Redis for tests, started at most once per JVM, on first use, and stopped by a JVM
 * shutdown hook.
 *
 * <p>Static accessors are the documented exception to "no static mutable state": the point of this
 * class is one fixture shared by every test class in a Surefire fork. Tests stay independent by
 * owning their names: every topic, consumer group and Redis key prefix comes from
 * {@link #uniqueName(String)}.
 *
 * <p>Kafka, first match wins:
 * <ol>
 *   <li>{@code PUSH_TEST_KAFKA_BOOTSTRAP} set: that external cluster;</li>
 *   <li>a Docker engine answers: Testcontainers {@value #KAFKA_IMAGE};</li>
 *   <li>otherwise {@link EmbeddedKafka#singleNode()} in this JVM.</li>
 * </ol>
 * Redis: {@code PUSH_TEST_REDIS_URI} if set, otherwise {@link RedisServerProcess#start()}.
 *
 * <p>Every source has {@code auto.create.topics.enable=false}: a test creates the topics it uses.
 * Failure tests that stop brokers need their own cluster: {@link EmbeddedKafka#cluster(int)}.
 */
public final class TestInfra {

    public static final String KAFKA_BOOTSTRAP_ENV = "PUSH_TEST_KAFKA_BOOTSTRAP";
    public static final String REDIS_URI_ENV = "PUSH_TEST_REDIS_URI";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(TestInfra.class);
    private static String kafkaBootstrap;
    private static String redisUri;

    private TestInfra() {
    }

    /** Bootstrap servers of the Kafka shared by this JVM; starts it on first call. */
    public static synchronized String kafkaBootstrap() {
        if (kafkaBootstrap == null) {
            kafkaBootstrap = startKafka();
        }
        return kafkaBootstrap;
    }

    /** {@code redis://host:port} of the Redis shared by this JVM; starts it on first call. */
    public static synchronized String redisUri() {
        if (redisUri == null) {
            redisUri = startRedis();
        }
        return redisUri;
    }

    /**
     * {@code prefix-xxxxxxxx} with 8 random hex characters; valid as a Kafka topic name, group id
     * and Redis key prefix when the prefix is.
     */
    public static String uniqueName(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank");
        }
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String startKafka() {
        String external = System.getenv(KAFKA_BOOTSTRAP_ENV);
        if (external != null && !external.isBlank()) {
            LOG.info("Tests use external Kafka {} from {}", external, KAFKA_BOOTSTRAP_ENV);
            return external.trim();
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE)
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start();
            onShutdown("testinfra-kafka-container-stop", container::stop);
            LOG.info("Tests use Testcontainers Kafka {} at {}", KAFKA_IMAGE, container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        EmbeddedKafka kafka = EmbeddedKafka.singleNode();
        onShutdown("testinfra-embedded-kafka-stop", kafka::close);
        LOG.info("Tests use embedded Kafka at {} (no {} and no Docker engine)", kafka.bootstrapServers(),
                KAFKA_BOOTSTRAP_ENV);
        return kafka.bootstrapServers();
    }

    private static String startRedis() {
        String external = System.getenv(REDIS_URI_ENV);
        if (external != null && !external.isBlank()) {
            LOG.info("Tests use external Redis {} from {}", external, REDIS_URI_ENV);
            return external.trim();
        }
        RedisServerProcess redis = RedisServerProcess.start();
        onShutdown("testinfra-redis-stop", redis::close);
        LOG.info("Tests use redis-server process {} (pid {})", redis.uri(), redis.pid());
        return redis.uri();
    }

    /** Any failure to reach Docker (no socket, no permission, odd client config) means "no Docker". */
    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Docker check failed: {}", e.toString());
            return false;
        }
    }

    private static void onShutdown(String threadName, Runnable stop) {
        Thread hook = new Thread(() -> {
            try {
                stop.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", threadName.toLowerCase(Locale.ROOT), e.toString());
            }
        }, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
