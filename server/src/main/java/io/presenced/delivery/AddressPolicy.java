package io.presenced.delivery;

import io.presenced.ApiException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which WebHook addresses are allowed: http(s) only; link-local and cloud metadata addresses never;
 * then the configured deny list, then (if not empty) the allow list, by CIDR block.
 */
public final class AddressPolicy {
    private static final List<Cidr> ALWAYS_DENIED = List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"),
            Cidr.parse("100.100.100.200/32"), Cidr.parse("fd00:ec2::254/128"));

    private final List<Cidr> allow;
    private final List<Cidr> deny;

    public AddressPolicy(List<String> allow, List<String> deny) {
        this.allow = allow.stream().map(Cidr::parse).toList();
        this.deny = deny.stream().map(Cidr::parse).toList();
    }

    /** The address as a URI, or the RingCentral error saying why it may not be used. */
    public URI check(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw invalid(address, "it is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(address, "only http and https addresses are accepted");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(address, "it names no host");
        }
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw invalid(address, "its host does not resolve");
        }
        for (InetAddress ip : resolved) {
            if (ip.isLinkLocalAddress() || ALWAYS_DENIED.stream().anyMatch(c -> c.contains(ip))) {
                throw invalid(address, "link-local and metadata addresses are never allowed");
            }
            if (deny.stream().anyMatch(c -> c.contains(ip))) {
                throw invalid(address, "the address is in a denied network");
            }
            if (!allow.isEmpty() && allow.stream().noneMatch(c -> c.contains(ip))) {
                throw invalid(address, "the address is not in an allowed network");
            }
        }
        return uri;
    }

    private static ApiException invalid(String address, String why) {
        return ApiException.parameter(400, "SUB-521", "Invalid delivery address: " + why, "deliveryMode.address",
                address);
    }

    /** An address block such as {@code 10.0.0.0/8} or {@code fe80::/10}. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            try {
                byte[] address = InetAddress.getByName(slash < 0 ? text : text.substring(0, slash)).getAddress();
                int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix in address block " + text);
                }
                return new Cidr(address, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an address block: " + text, e);
            }
        }

        boolean contains(InetAddress ip) {
            byte[] a = ip.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest);
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
