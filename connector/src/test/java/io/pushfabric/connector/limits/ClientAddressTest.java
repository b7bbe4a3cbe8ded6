package io.pushfabric.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static final InetAddress PROXY = LimitSettings.literal("10.0.0.1");
    private static final InetAddress STRANGER = LimitSettings.literal("203.0.113.9");
    private final ClientAddress addresses = new ClientAddress(Set.of(AddressRange.parse("10.0.0.1"),
            AddressRange.parse("10.0.0.2")));

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeaderSays() {
        assertThat(addresses.of(STRANGER, "198.51.100.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        assertThat(addresses.of(PROXY, "1.1.1.1, 198.51.100.7, 10.0.0.2")).isEqualTo("198.51.100.7");
    }

    @Test
    void aTrustedProxyWithoutHeaderIsItsOwnClient() {
        assertThat(addresses.of(PROXY, null)).isEqualTo("10.0.0.1");
    }

    @Test
    void aTrustedRangeCoversEveryBalancerInIt() {
        ClientAddress behindRange = new ClientAddress(Set.of(AddressRange.parse("10.1.0.0/20")));
        assertThat(behindRange.of(LimitSettings.literal("10.1.15.200"), "198.51.100.7, 10.1.3.4")).isEqualTo("198.51.100.7");
        assertThat(behindRange.of(LimitSettings.literal("10.1.16.1"), "198.51.100.7")).isEqualTo("10.1.16.1");
    }

    @Test
    void nothingIsTrustedByDefault() {
        assertThat(new ClientAddress(Set.of()).of(PROXY, "198.51.100.7")).isEqualTo("10.0.0.1");
    }
}
