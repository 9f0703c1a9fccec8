package io.optledger.delivery.webhook;

import io.optledger.platform.InvalidInput;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.client5.http.DnsResolver;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The guard against server-side request forgery: an endpoint's URL is http or https with a host and no credentials,
 * and every address its host resolves to is public. Checked when an endpoint is created or changed, and again on
 * every connection, since the {@link WebhookSender} resolves hosts through this class and connects only to the
 * addresses it vetted (so a name that resolves elsewhere later is caught where it matters). Off with
 * {@code optledger.webhooks.allow-private-networks}.
 */
@Component
public class Destinations implements DnsResolver {

    static final int MAX_URL = 2048;
    private static final Set<String> METADATA =
            Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2:0:0:0:0:0:254");

    private final boolean allowPrivateNetworks;

    Destinations(WebhookSettings settings) {
        this.allowPrivateNetworks = settings.allowPrivateNetworks();
    }

    /** A host refused because it resolves to an address webhooks may not reach. */
    public static final class RefusedDestination extends UnknownHostException {
        RefusedDestination(String message) {
            super(message);
        }
    }

    /** The URL as an endpoint's destination, or an {@link InvalidInput} naming {@code field} and what is wrong. */
    public URI check(String field, String url) {
        if (url.length() > MAX_URL) {
            throw new InvalidInput(field, "a webhook URL is at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInput(field, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInput(field, "a webhook URL is http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidInput(field, "a webhook URL names a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidInput(field, "a webhook URL carries no user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidInput(field, "a webhook URL has no fragment (#...)");
        }
        try {
            resolve(uri.getHost());
        } catch (RefusedDestination e) {
            throw new InvalidInput(field, e.getMessage());
        } catch (UnknownHostException e) {
            throw new InvalidInput(field, "the host " + uri.getHost() + " does not resolve");
        }
        return uri;
    }

    /** The host's addresses, each vetted; a {@link RefusedDestination} when any may not be reached. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        // a bracketed IPv6 literal, as a URI gives it
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(name);
        if (!allowPrivateNetworks) {
            for (InetAddress address : addresses) {
                String why = forbidden(address);
                if (why != null) {
                    String what = address.getHostAddress().equals(name)
                            ? name + " is " + why
                            : name + " resolves to " + address.getHostAddress() + ", " + why;
                    throw new RefusedDestination("refused: " + what + "; webhooks may not reach private networks");
                }
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return Arrays.stream(resolve(host)).findFirst().orElseThrow().getCanonicalHostName();
    }

    /** Why an address may not be reached, or null when it is public. */
    static @Nullable String forbidden(InetAddress address) {
        if (METADATA.contains(address.getHostAddress())) {
            return "a cloud metadata address";
        }
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Inet4Address embedded = embeddedIpv4(b);
            if (embedded != null) {
                String why = forbidden(embedded);
                return why == null ? null : "an IPv6 form of " + embedded.getHostAddress() + ", " + why;
            }
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (address.isLoopbackAddress()) {
                return "a loopback address";
            }
            if (address.isAnyLocalAddress()) {
                return "the unspecified address";
            }
            if (address.isLinkLocalAddress()) {
                return "a link-local address";
            }
            if ((first & 0xfe) == 0xfc || address.isSiteLocalAddress()) {
                return "a private address";
            }
            if (address.isMulticastAddress()) {
                return "a multicast address";
            }
            // Teredo (2001::/32) tunnels to an address it hides; discard (100::/64) is no one's
            boolean teredo = first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0;
            boolean discard = first == 0x01 && second == 0 && b[2] == 0 && b[3] == 0;
            if (teredo || discard) {
                return "a reserved address";
            }
            return null;
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isSiteLocalAddress() || first == 100 && (second & 0xc0) == 64) {
            return "a private address";
        }
        if (first == 0) {
            return "a 'this network' address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        // reserved (240/4), IETF protocol assignments (192.0.0/24), benchmarking (198.18/15, used inside clouds)
        if (first >= 240 || first == 192 && second == 0 && b[2] == 0 || first == 198 && (second & 0xfe) == 18) {
            return "a reserved address";
        }
        return null;
    }

    /** The IPv4 address an IPv6 one carries: mapped, compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16). */
    private static @Nullable Inet4Address embeddedIpv4(byte[] b) {
        boolean zeroTo10 = true;
        for (int i = 0; i < 10; i++) {
            zeroTo10 &= b[i] == 0;
        }
        boolean mapped = zeroTo10 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = zeroTo10 && b[10] == 0 && b[11] == 0 && (b[12] != 0 || b[13] != 0);
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        for (int i = 4; i < 12 && nat64; i++) {
            nat64 = b[i] == 0;
        }
        try {
            if (mapped || compatible || nat64) {
                return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
        return null;
    }
}
