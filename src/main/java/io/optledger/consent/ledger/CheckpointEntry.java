package io.optledger.consent.ledger;

import io.optledger.platform.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One contact in a checkpoint: its events {@code fromSeq} to {@code toSeq} (those added since its checkpoint before),
 * their 32-byte hashes in order. The last of them is the contact's chain head when the checkpoint was taken.
 */
public record CheckpointEntry(long number, long contactId, long fromSeq, long toSeq, byte[] hashes) {

    private static final HexFormat HEX = HexFormat.of();

    public CheckpointEntry {
        if (fromSeq < 1 || toSeq < fromSeq || hashes.length != 32 * (toSeq - fromSeq + 1)) {
            throw new IllegalArgumentException("entry of contact " + contactId + " has " + hashes.length
                    + " bytes of hashes for seq " + fromSeq + ".." + toSeq);
        }
    }

    public boolean covers(long seq) {
        return seq >= fromSeq && seq <= toSeq;
    }

    /** The hex hash this entry recorded for the event at {@code seq}, which it must cover. */
    public String hashAt(long seq) {
        int offset = (int) (32 * (seq - fromSeq));
        return HEX.formatHex(hashes, offset, offset + 32);
    }

    public String head() {
        return hashAt(toSeq);
    }

    public List<String> hexHashes() {
        return java.util.stream.LongStream.rangeClosed(fromSeq, toSeq)
                .mapToObj(this::hashAt)
                .toList();
    }

    /** The entry's line in the checkpoint's digest: contact, seq range, head, and the SHA-256 of all its hashes. */
    public String line() {
        return contactId + " " + fromSeq + " " + toSeq + " " + head() + " " + HEX.formatHex(Hashing.sha256(hashes))
                + "\n";
    }

    /** The hex SHA-256 over the lines of a checkpoint's entries, in contact order. */
    public static String digest(List<CheckpointEntry> entries) {
        StringBuilder lines = new StringBuilder(entries.size() * 160);
        entries.stream()
                .sorted(java.util.Comparator.comparingLong(CheckpointEntry::contactId))
                .forEach(e -> lines.append(e.line()));
        return HEX.formatHex(Hashing.sha256(lines.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CheckpointEntry e
                && e.number == number
                && e.contactId == contactId
                && e.fromSeq == fromSeq
                && e.toSeq == toSeq
                && Arrays.equals(e.hashes, hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + Long.hashCode(contactId);
    }
}
