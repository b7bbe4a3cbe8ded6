package io.pushfabric.connector.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** What the connector counts about channel subscriptions. */
public final class ChannelMetrics {
    private final Counter subscribed;
    private final Counter notRecovered;
    private final Map<ChannelRefusal, Counter> refused = new EnumMap<>(ChannelRefusal.class);

    public ChannelMetrics(MeterRegistry registry, Supplier<Number> channels, Supplier<Number> subscriptions) {
        Gauge.builder("pushfabric.connector.channels", channels)
                .description("Channels with at least one subscriber on this node").register(registry);
        Gauge.builder("pushfabric.connector.channel.subscriptions", subscriptions)
                .description("Channel subscriptions of the sessions on this node").register(registry);
        subscribed = Counter.builder("pushfabric.connector.channel.subscribed")
                .description("Subscriptions confirmed").register(registry);
        notRecovered = Counter.builder("pushfabric.connector.channel.recover.failed")
                .description("Subscriptions confirmed with recovered:false").register(registry);
        for (ChannelRefusal r : ChannelRefusal.values()) {
            refused.put(r, Counter.builder("pushfabric.connector.channel.refused").tag("reason", r.tag())
                    .description("Subscribe and unsubscribe frames refused, by reason").register(registry));
        }
    }

    void subscribed(boolean recovered) {
        subscribed.increment();
        if (!recovered) {
            notRecovered.increment();
        }
    }

    public void refused(ChannelRefusal reason) {
        refused.get(reason).increment();
    }
}
