package io.optledger.consent.ledger;

import io.optledger.platform.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * One signed checkpoint of a workspace's ledger: the digest of its entries (the contacts whose chains grew since the
 * checkpoint before, see {@link CheckpointEntry}), chained to the checkpoint before by {@code prevRoot}. {@code root}
 * is the hex SHA-256 of {@link #canonical()}, and {@code signature} the Ed25519 signature of the same text, made with
 * the workspace's key {@code keyId}. The form is documented in docs/ledger.md.
 */
public record Checkpoint(
        long workspaceId,
        long number,
        Instant createdAt,
        String keyId,
        String prevRoot,
        int contacts,
        long events,
        String entriesDigest,
        String root,
        byte[] signature) {

    /** The previous root of a workspace's first checkpoint. */
    public static final String GENESIS = "0".repeat(64);

    private static final String VERSION = "optledger-checkpoint-v1";
    private static final HexFormat HEX = HexFormat.of();

    /** The text that is hashed into the root and signed, UTF-8 encoded. */
    public String canonical() {
        return canonical(workspaceId, number, createdAt, keyId, prevRoot, contacts, events, entriesDigest);
    }

    public static String canonical(
            long workspaceId,
            long number,
            Instant createdAt,
            String keyId,
            String prevRoot,
            int contacts,
            long events,
            String entriesDigest) {
        return VERSION + '\n'
                + "workspace=" + workspaceId + '\n'
                + "number=" + number + '\n'
                + "createdAt=" + DateTimeFormatter.ISO_INSTANT.format(createdAt) + '\n'
                + "keyId=" + keyId + '\n'
                + "prev=" + prevRoot + '\n'
                + "contacts=" + contacts + '\n'
                + "events=" + events + '\n'
                + "entries=" + entriesDigest + '\n';
    }

    public static String root(String canonical) {
        return HEX.formatHex(Hashing.sha256(canonical));
    }

    public byte[] signedBytes() {
        return canonical().getBytes(StandardCharsets.UTF_8);
    }
}
