package io.presenced.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Host names a test makes resolve to addresses of its choice (a name in 169.254.0.0/16, say), through the
 * JDK's resolver SPI, so that the server's own, unchanged lookup sees them as it would see a DNS answer.
 * Every name not {@linkplain #map mapped} goes to the JDK's built-in resolver, so nothing else changes.
 *
 * <p>It is registered in {@code META-INF/services} of the test class path, so it serves the test JVM (and
 * any server process started with that class path, where nothing is mapped). The JDK caches what a name
 * resolved to, so map a name before its first lookup and do not map it to something else later.
 * Thread-safe: the names live in a concurrent map.
 */
public final class TestHostNames extends InetAddressResolverProvider {
    private static final Map<String, List<InetAddress>> NAMES = new ConcurrentHashMap<>();

    /** Makes {@code host} resolve to the given address literals, in this JVM. */
    public static void map(String host, String... addresses) {
        String name = host.toLowerCase(Locale.ROOT);
        List<InetAddress> resolved = Stream.of(addresses).map(a -> {
            try {
                return InetAddress.getByAddress(name, InetAddress.getByName(a).getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address literal: " + a, e);
            }
        }).toList();
        NAMES.put(name, resolved);
    }

    /** Whether this provider is the JDK's resolver here, i.e. whether {@link #map} has any effect. */
    public static boolean active(String mappedHost) {
        try {
            return NAMES.containsKey(mappedHost.toLowerCase(Locale.ROOT))
                    && List.of(InetAddress.getAllByName(mappedHost)).equals(NAMES.get(mappedHost.toLowerCase(Locale.ROOT)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                List<InetAddress> mapped = NAMES.get(host.toLowerCase(Locale.ROOT));
                if (mapped == null) {
                    return builtin.lookupByName(host, policy);
                }
                int wanted = policy.characteristics();
                List<InetAddress> allowed = mapped.stream().filter(a -> a.getAddress().length == 4
                        ? (wanted & LookupPolicy.IPV4) != 0 : (wanted & LookupPolicy.IPV6) != 0).toList();
                if (allowed.isEmpty()) {
                    throw new UnknownHostException(host + " (mapped by the test to no address of the family asked)");
                }
                return allowed.stream();
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "presenced test host names";
    }
}
