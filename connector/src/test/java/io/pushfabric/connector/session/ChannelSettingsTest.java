package io.pushfabric.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelSettingsTest {
    private static final UserId ALICE = UserId.of("alice");

    private static ChannelSettings of(String namespaces) {
        return ChannelSettings.fromEnv(new Env(Map.of("PUSH_CHANNEL_NAMESPACES", namespaces)));
    }

    @Test
    void defaultsAllowNoPlainSubscribe() {
        ChannelSettings settings = ChannelSettings.fromEnv(new Env(Map.of()));
        assertThat(settings.maxChannelsPerSession()).isEqualTo(128);
        assertThat(settings.maxSubscribersPerNode()).isEqualTo(100_000);
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("chat:lobby"))).isFalse();
    }

    @Test
    void openNamespaceLetsAnyUserInAndOthersStayClosed() {
        ChannelSettings settings = of("chat=open, dm=user");
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("chat:lobby"))).isTrue();
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("news"))).isFalse();
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("admin:ops"))).isFalse();
    }

    @Test
    void userNamespaceNeedsTheUsersIdAfterTheLastHash() {
        ChannelSettings settings = of("dm=user");
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("dm:x#alice,bob"))).isTrue();
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("dm:x#bob,alice"))).isTrue();
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("dm:x#bob,carol"))).isFalse();
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("dm:alice"))).isFalse();
        assertThat(settings.namespaceAllows(ALICE, ChannelName.of("dm:x#alicex"))).isFalse();
    }

    @Test
    void badSettingsFailNamingTheVariable() {
        assertThatThrownBy(() -> of("chat")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PUSH_CHANNEL_NAMESPACES: 'chat' is not <namespace>=<rule>");
        assertThatThrownBy(() -> of("chat=public")).hasMessageContaining("rule 'public' of namespace 'chat'");
        assertThatThrownBy(() -> of("chat=open,chat=user")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> ChannelSettings.fromEnv(new Env(Map.of("PUSH_MAX_CHANNELS_PER_SESSION", "0"))))
                .hasMessageContaining("PUSH_MAX_CHANNELS_PER_SESSION=0 must be between 1 and");
    }
}
