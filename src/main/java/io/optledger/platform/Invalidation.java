package io.optledger.platform;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A committed change that makes cached reads of {@code key} (of a {@code kind}) in a workspace out of date. Travels to
 * every node as one entry of a {@code cache_invalidations} row.
 */
public record Invalidation(long workspaceId, Kind kind, String key) {

    /** What was changed. */
    public enum Kind {
        /** The subscriptions or suppression of a channel address; key is {@code CHANNEL:address}. */
        ADDRESS,
        /**
         * Every address of the workspace: what an erasure publishes, since an invalidation naming the erased addresses
         * would keep them; key is empty.
         */
        ALL_ADDRESSES,
        /** The workspace's topics; key is empty. */
        TOPICS,
        /** A namespace of the workspace's {@link Settings}; key is the namespace. */
        SETTINGS,
        /** The workspace's sign-up units; key is empty. */
        SIGN_UP_UNITS
    }

    /** The subscriptions or suppression at a channel address changed. */
    public static Invalidation address(long workspaceId, String channel, String address) {
        return new Invalidation(workspaceId, Kind.ADDRESS, channel + ":" + address);
    }

    /** The subscriptions or suppression of any address of the workspace may have changed. */
    public static Invalidation allAddresses(long workspaceId) {
        return new Invalidation(workspaceId, Kind.ALL_ADDRESSES, "");
    }

    String encode() {
        return workspaceId + "|" + kind.name() + "|" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    static Invalidation decode(String line) {
        String[] parts = line.split("\\|", 3);
        return new Invalidation(
                Long.parseLong(parts[0]),
                Kind.valueOf(parts[1]),
                URLDecoder.decode(parts.length > 2 ? parts[2] : "", StandardCharsets.UTF_8));
    }
}
