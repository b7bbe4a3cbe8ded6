package io.pushfabric.connector.limits;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP address or a CIDR range of them ({@code 10.0.0.7}, {@code 10.0.0.0/8}, {@code fd00::/8}), for
 * {@code PUSH_TRUSTED_PROXIES}: balancers in Kubernetes or Compose get addresses from a range, not one
 * fixed address.
 */
public record AddressRange(InetAddress network, int prefixLength) {
    public AddressRange {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix /" + prefixLength + " does not fit " + network.getHostAddress());
        }
    }

    /** @return the range, or null when {@code text} is neither an IP literal nor one followed by {@code /bits} */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = LimitSettings.literal(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new AddressRange(address, bits);
        }
        try {
            int prefix = Integer.parseInt(text.substring(slash + 1));
            return prefix < 0 || prefix > bits ? null : new AddressRange(address, prefix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        byte[] ours = network.getAddress();
        byte[] theirs = address.getAddress();
        if (ours.length != theirs.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (ours[i] != theirs[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest);
        return (ours[full] & mask) == (theirs[full] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
