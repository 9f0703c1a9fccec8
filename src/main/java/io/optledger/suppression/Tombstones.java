package io.optledger.suppression;

import io.optledger.contact.Channel;
import io.optledger.platform.Hashing;
import io.optledger.suppression.internal.JdbcTombstones;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Erased addresses, kept as HMAC-SHA256 under a key of the workspace's own of {@code <CHANNEL>:<normalised address>}:
 * enough to recognise the address when it comes back, and nothing that gives it away without the key. Read as
 * suppressions with reason {@link SuppressionReason#ERASED} (docs/erasure.md).
 */
@Service
public class Tombstones {

    private static final HexFormat HEX = HexFormat.of();

    private final JdbcTombstones tombstones;

    Tombstones(JdbcTombstones tombstones) {
        this.tombstones = tombstones;
    }

    /** Leaves a tombstone for an erased (normalised) address; one already there stays as it was. */
    public void add(long workspaceId, Channel channel, String address, Instant erasedAt) {
        byte[] key = tombstones.keyMadeIfMissing(workspaceId);
        tombstones.insert(workspaceId, channel.name(), digest(key, channel, address), erasedAt);
    }

    /** The erasure time of each given (normalised) address that has a tombstone; pairs up by index. */
    Map<Integer, Instant> among(long workspaceId, List<Channel> channels, List<String> addresses) {
        Optional<byte[]> key = tombstones.key(workspaceId);
        if (key.isEmpty() || channels.isEmpty()) {
            return Map.of();
        }
        List<String> names = new ArrayList<>(channels.size());
        List<String> digests = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            names.add(channels.get(i).name());
            digests.add(digest(key.get(), channels.get(i), addresses.get(i)));
        }
        Map<String, Instant> found = tombstones.among(workspaceId, names, digests);
        Map<Integer, Instant> byIndex = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Instant at = found.get(names.get(i) + ":" + digests.get(i));
            if (at != null) {
                byIndex.put(i, at);
            }
        }
        return byIndex;
    }

    /** Removes the address's tombstone; answers when the address was erased, if it was. */
    Optional<Instant> lift(long workspaceId, Channel channel, String address) {
        return tombstones
                .key(workspaceId)
                .flatMap(key -> tombstones.delete(workspaceId, channel.name(), digest(key, channel, address)));
    }

    private static String digest(byte[] key, Channel channel, String address) {
        return HEX.formatHex(Hashing.hmacSha256(key, channel.name() + ":" + address));
    }
}
