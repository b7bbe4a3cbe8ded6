package io.pushfabric.connector.limits;

import java.net.InetAddress;
import java.util.Set;

/**
 * The address a connect rate is counted against. It is the socket's peer, unless the peer is one of
 * {@code PUSH_TRUSTED_PROXIES}: then it is the right-most {@code X-Forwarded-For} entry that is not itself
 * a trusted proxy (each proxy appends the address it saw, so entries left of that one were written by
 * the client and prove nothing).
 */
public final class ClientAddress {
    private final Set<AddressRange> trustedProxies;

    public ClientAddress(Set<AddressRange> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    /**
     * @param peer          the socket's remote address
     * @param forwardedFor  the {@code X-Forwarded-For} header, or null
     */
    public String of(InetAddress peer, String forwardedFor) {
        if (forwardedFor == null || !trusted(peer)) {
            return peer.getHostAddress();
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            InetAddress address = LimitSettings.literal(hop);
            if (address == null) {
                return hop.isEmpty() ? peer.getHostAddress() : hop; // garbage: count it as its own client
            }
            if (!trusted(address)) {
                return address.getHostAddress();
            }
        }
        return peer.getHostAddress(); // only proxies: the request started at one of them
    }

    private boolean trusted(InetAddress address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
