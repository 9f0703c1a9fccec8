package io.optledger.proof;

import io.optledger.consent.ConsentReads;
import io.optledger.consent.Subscription;
import io.optledger.consent.ledger.CheckpointEntry;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.platform.NotFound;
import io.optledger.platform.SigningKeys;
import io.optledger.platform.SigningKeys.PublicSigningKey;
import io.optledger.platform.Timestamps;
import io.optledger.proof.verifier.ProofDocument;
import io.optledger.proof.verifier.ProofText;
import io.optledger.topic.SignUpUnit.Disclosure;
import io.optledger.topic.SignUpUnits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds a contact's consent proof ({@link ProofDocument}) from one snapshot and signs it with the workspace's
 * checkpoint key; {@code java -jar optledger.jar verify} checks it offline.
 */
@Service
public class ContactProofs {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ConsentLedger ledger;
    private final ConsentReads consent;
    private final SignUpUnits signUpUnits;
    private final SigningKeys keys;
    private final Clock clock;
    /** The most events one proof holds: about 1 KB of heap each while the document is built, signed and written. */
    private final int maxEvents;

    ContactProofs(
            ConsentLedger ledger,
            ConsentReads consent,
            SignUpUnits signUpUnits,
            SigningKeys keys,
            Clock clock,
            @Value("${optledger.proof.max-events:20000}") int maxEvents) {
        this.maxEvents = maxEvents;
        this.ledger = ledger;
        this.consent = consent;
        this.signUpUnits = signUpUnits;
        this.keys = keys;
        this.clock = clock;
    }

    /** The contact's proof, as of now; an erased contact's proves its chain without any personal field. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ProofDocument proof(long workspaceId, long contactId) {
        List<ProofDocument.Event> events = new ArrayList<>();
        TreeSet<String> units = new TreeSet<>();
        ConsentEvent[] last = new ConsentEvent[1];
        ledger.forEachEvent(workspaceId, contactId, e -> {
            if (events.size() == maxEvents) {
                // stops the read here: the rest of a long chain is never loaded
                throw new ProofTooLarge(contactId, maxEvents);
            }
            events.add(ProofDocument.Event.of(e));
            if (e.signUpUnit() != null) {
                units.add(e.signUpUnit());
            }
            last[0] = e;
        });
        List<ProofDocument.Disclosure> disclosures = new ArrayList<>();
        for (String unit : units) {
            try {
                for (Disclosure d : signUpUnits.disclosures(workspaceId, unit)) {
                    disclosures.add(new ProofDocument.Disclosure(unit, d.version(), d.text(), d.hash()));
                }
            } catch (NotFound deleted) {
                // a unit deleted since: its texts are not served any more, and the proof says so by their absence
            }
        }
        List<ProofDocument.State> state = consent.subscriptionsOf(workspaceId, contactId).stream()
                .sorted(Comparator.comparing((Subscription s) -> s.channel().name())
                        .thenComparing(Subscription::address)
                        .thenComparing(Subscription::topic))
                .map(s -> new ProofDocument.State(
                        s.channel().name(),
                        s.address(),
                        s.topic(),
                        s.status().name(),
                        ProofDocument.text(s.suspendedUntil()),
                        ProofDocument.text(s.occurredAt()),
                        ProofDocument.text(s.updatedAt()),
                        s.deleted()))
                .toList();
        SigningKeys.Signer signer = keys.active(workspaceId)
                .orElseThrow(() -> new IllegalStateException("workspace " + workspaceId + " has no signing key"));
        Map<String, ProofDocument.Key> used = new LinkedHashMap<>();
        used.put(signer.publicKey().keyId(), key(signer.publicKey()));
        ProofDocument.CheckpointProof checkpoint = ledger.latestCheckpoint(workspaceId, contactId)
                .map(a -> {
                    var c = a.checkpoint();
                    keys.find(workspaceId, c.keyId()).ifPresent(k -> used.putIfAbsent(k.keyId(), key(k)));
                    return new ProofDocument.CheckpointProof(
                            c.number(),
                            ProofDocument.text(c.createdAt()),
                            c.keyId(),
                            c.prevRoot(),
                            c.contacts(),
                            c.events(),
                            c.entriesDigest(),
                            c.root(),
                            BASE64URL.encodeToString(c.signature()),
                            a.entries().stream()
                                    .sorted(Comparator.comparingLong(CheckpointEntry::contactId))
                                    .map(e -> e.line().strip())
                                    .toList());
                })
                .orElse(null);
        ProofDocument unsigned = new ProofDocument(
                ProofDocument.FORMAT,
                workspaceId,
                contactId,
                ProofDocument.text(Timestamps.micros(clock.instant())),
                ledger.commitmentKey(workspaceId, contactId)
                        .map(HexFormat.of()::formatHex)
                        .orElse(null),
                events,
                disclosures,
                new ProofDocument.Head(
                        last[0] == null ? 0 : last[0].seq(), last[0] == null ? LedgerHash.GENESIS : last[0].hash()),
                state,
                checkpoint,
                List.copyOf(used.values()),
                signer.publicKey().keyId(),
                "");
        byte[] signature = signer.sign(ProofText.of(unsigned).getBytes(StandardCharsets.UTF_8));
        return new ProofDocument(
                unsigned.format(),
                unsigned.workspaceId(),
                unsigned.contactId(),
                unsigned.issuedAt(),
                unsigned.commitmentKey(),
                unsigned.events(),
                unsigned.disclosures(),
                unsigned.head(),
                unsigned.state(),
                unsigned.checkpoint(),
                unsigned.keys(),
                unsigned.keyId(),
                BASE64URL.encodeToString(signature));
    }

    private static ProofDocument.Key key(PublicSigningKey key) {
        return new ProofDocument.Key(key.keyId(), BASE64URL.encodeToString(key.x()));
    }
}
