package io.pushfabric.registry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletionException;
import org.redisson.client.RedisException;

/**
 * The edge where Redisson's exceptions become ours: every call of a Redis-backed registry that fails with a
 * Redisson {@link RedisException} (directly, or inside the {@link CompletionException} of a pipelined batch)
 * throws {@link TransientRegistryException} instead, so no caller outside this package sees Redisson types.
 */
final class RedisFailures {
    private RedisFailures() {
    }

    static <T> T translating(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw translate(e.getCause(), target, method.getName());
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Throwable translate(Throwable failure, Object target, String method) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RedisException) {
            return new TransientRegistryException(target + "." + method + " failed: " + cause.getMessage(), cause);
        }
        return failure;
    }
}
