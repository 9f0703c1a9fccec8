package io.optledger.suppression;

import io.optledger.contact.Channel;
import io.optledger.platform.AfterCommit;
import io.optledger.platform.Hashing;
import io.optledger.suppression.internal.JdbcTombstones;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * The erasure keys this node has read. A workspace's key never changes once made (nothing updates or deletes it),
     * so a key read is kept; a workspace without one is asked about again, since another node may make it.
     */
    private final Map<Long, byte[]> keys = new ConcurrentHashMap<>();

    Tombstones(JdbcTombstones tombstones) {
        this.tombstones = tombstones;
    }

    /** Leaves a tombstone for an erased (normalised) address; one already there stays as it was. */
    public void add(long workspaceId, Channel channel, String address, Instant erasedAt) {
        byte[] key = tombstones.keyMadeIfMissing(workspaceId);
        remember(workspaceId, key);
        tombstones.insert(workspaceId, channel.name(), digest(key, channel, address), erasedAt);
    }

    /** The erasure time of each given (normalised) address that has a tombstone; pairs up by index. */
    Map<Integer, Instant> among(long workspaceId, List<Channel> channels, List<String> addresses) {
        Optional<byte[]> key = key(workspaceId);
        if (key.isEmpty() || channels.isEmpty()) {
            return Map.of();
        }
        List<String> names = channels.stream().map(Channel::name).toList();
        List<String> digests = digests(key.get(), channels, addresses);
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

    /** The digests of the addresses' tombstones, pairing up by index, if this node knows the workspace's key. */
    Optional<List<String>> digests(long workspaceId, List<Channel> channels, List<String> addresses) {
        return Optional.ofNullable(keys.get(workspaceId)).map(key -> digests(key, channels, addresses));
    }

    /**
     * Keeps a key read. Read in a transaction, it may be the one that transaction made, gone if it rolls back (and
     * another node may then make a different one): kept only once the transaction commits.
     */
    void remember(long workspaceId, byte[] key) {
        AfterCommit.run(() -> keys.putIfAbsent(workspaceId, key));
    }

    /** Removes the address's tombstone; answers when the address was erased, if it was. */
    Optional<Instant> lift(long workspaceId, Channel channel, String address) {
        return key(workspaceId)
                .flatMap(key -> tombstones.delete(workspaceId, channel.name(), digest(key, channel, address)));
    }

    private Optional<byte[]> key(long workspaceId) {
        byte[] known = keys.get(workspaceId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<byte[]> read = tombstones.key(workspaceId);
        read.ifPresent(key -> remember(workspaceId, key));
        return read;
    }

    private static List<String> digests(byte[] key, List<Channel> channels, List<String> addresses) {
        List<String> digests = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            digests.add(digest(key, channels.get(i), addresses.get(i)));
        }
        return digests;
    }

    private static String digest(byte[] key, Channel channel, String address) {
        return HEX.formatHex(Hashing.hmacSha256(key, channel.name() + ":" + address));
    }
}
