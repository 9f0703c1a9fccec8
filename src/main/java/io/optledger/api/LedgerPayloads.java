package io.optledger.api;

import io.optledger.consent.ledger.Checkpoint;
import io.optledger.consent.ledger.CheckpointEntry;
import io.optledger.consent.ledger.ConsentEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The native API's bodies for the consent ledger: a contact's events, signed checkpoints and their signing keys. */
public final class LedgerPayloads {

    private LedgerPayloads() {}

    public record EventPage(
            long contactId,
            List<ConsentEvent> events,
            @Nullable Long nextAfterSeq) {}

    /** A signed checkpoint as an auditor checks it offline; the signature is base64url, the hashes hex. */
    public record CheckpointView(
            long workspaceId,
            long number,
            String createdAt,
            String keyId,
            String prevRoot,
            int contacts,
            long events,
            String entriesDigest,
            String root,
            String signature,
            String signed) {

        static CheckpointView of(Checkpoint c) {
            return new CheckpointView(
                    c.workspaceId(),
                    c.number(),
                    // the signed text's form exactly, whatever the JSON mapper's date settings
                    java.time.format.DateTimeFormatter.ISO_INSTANT.format(c.createdAt()),
                    c.keyId(),
                    c.prevRoot(),
                    c.contacts(),
                    c.events(),
                    c.entriesDigest(),
                    c.root(),
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(c.signature()),
                    c.canonical());
        }
    }

    public record CheckpointPage(
            List<CheckpointView> checkpoints, @Nullable Long nextAfter) {}

    /** A contact's events in a checkpoint: {@code hashes} are theirs from {@code fromSeq} to {@code toSeq}. */
    public record CheckpointEntryView(long contactId, long fromSeq, long toSeq, String head, List<String> hashes) {

        static CheckpointEntryView of(CheckpointEntry e) {
            return new CheckpointEntryView(e.contactId(), e.fromSeq(), e.toSeq(), e.head(), e.hexHashes());
        }
    }

    public record CheckpointEntryPage(
            long number,
            List<CheckpointEntryView> entries,
            @Nullable Long nextAfterContact) {}

    /** A public key in JWK form (RFC 8037): {@code kid} is its RFC 7638 thumbprint. */
    public record PublicKeyView(
            String kty, String crv, String alg, String use, String kid, String x, long workspace, boolean active) {}

    public record PublicKeySet(List<PublicKeyView> keys) {}
}
