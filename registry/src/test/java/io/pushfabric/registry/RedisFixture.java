package io.pushfabric.registry;

import io.pushfabric.testkit.TestInfra;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.api.RedissonClient;

/**
 * One Redisson client on the tests' redis-server for a test class ({@code @RegisterExtension static}), and a fresh
 * key prefix for each registry under test, so tests sharing the server never see each other's keys.
 */
final class RedisFixture implements BeforeAllCallback, AfterAllCallback {
    private RedissonClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        client = RedissonClients.connect(TestInfra.redisUri(), 2);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.shutdown();
    }

    RedissonClient client() {
        return client;
    }

    /** Keys under a prefix no other test uses, named after what they hold. */
    RedisKeys freshKeys(String name) {
        return new RedisKeys(TestInfra.uniqueName(name) + ":");
    }
}
