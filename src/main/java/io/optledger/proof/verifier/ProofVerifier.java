package io.optledger.proof.verifier;

import io.optledger.consent.Status;
import io.optledger.consent.ledger.Checkpoint;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.consent.ledger.LedgerReplay;
import io.optledger.contact.Channel;
import io.optledger.platform.Ed25519;
import io.optledger.platform.Hashing;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks a consent proof with nothing but the document (and, optionally, the key it must be signed with): the keys,
 * the signature, every event's hash and link, the commitments, the chain head, the checkpoint and the state the events
 * replay to. The algorithm is the one docs/ledger.md states for other implementations; it uses the service's own
 * canonical forms ({@link LedgerHash}, {@link Checkpoint}) and replay ({@link LedgerReplay}).
 */
public final class ProofVerifier {

    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder BASE64URL_OUT = Base64.getUrlEncoder().withoutPadding();

    private ProofVerifier() {}

    /** The verdict: valid, or the first thing that does not hold. */
    public record Outcome(boolean valid, String message) {}

    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Verifies the document; with {@code pinnedX} (a raw Ed25519 key) the proof must be signed with that key. */
    public static Outcome verify(ProofDocument d, byte @Nullable [] pinnedX) {
        try {
            return new Outcome(true, check(d, pinnedX));
        } catch (RuntimeException e) {
            // whatever the document makes the checks trip over (a malformed instant, hex, name) is a reason to refuse
            // it
            return new Outcome(false, String.valueOf(e.getMessage()));
        }
    }

    private static String check(ProofDocument d, byte @Nullable [] pinnedX) {
        require(ProofDocument.FORMAT.equals(d.format()), "format is not " + ProofDocument.FORMAT);
        ProofDocument.instant(d.issuedAt());
        Map<String, byte[]> keys = new HashMap<>();
        for (ProofDocument.Key key : d.keys()) {
            byte[] x = base64url(key.x(), "key " + key.kid());
            require(
                    x.length == 32 && Ed25519.keyId(x).equals(key.kid()),
                    "key " + key.kid() + " is not its thumbprint");
            require(keys.put(key.kid(), x) == null, "key " + key.kid() + " is listed twice");
        }
        byte[] signingKey = keys.get(d.keyId());
        require(signingKey != null, "the signing key " + d.keyId() + " is not in the document");
        if (pinnedX != null) {
            require(
                    Arrays.equals(pinnedX, signingKey),
                    "the proof is signed with key " + d.keyId() + ", not the given key");
        }
        byte[] signature = base64url(d.signature(), "the signature");
        require(
                Ed25519.verifies(signingKey, ProofText.of(d).getBytes(StandardCharsets.UTF_8), signature),
                "the signature does not verify with key " + d.keyId());

        byte[] commitmentKey = d.commitmentKey() == null ? null : hex(d.commitmentKey(), "commitmentKey");
        String prev = LedgerHash.GENESIS;
        LedgerReplay replay = new LedgerReplay();
        List<ConsentEvent> events = new ArrayList<>(d.events().size());
        for (ProofDocument.Event e : d.events()) {
            ConsentEvent event = e.toConsentEvent(d.workspaceId(), d.contactId());
            require(event.seq() == events.size() + 1, "event " + event.seq() + " is out of sequence");
            require(event.prevHash().equals(prev), "event " + event.seq() + " does not link to the event before");
            hex(event.hash(), "the hash of event " + event.seq());
            if (event.erased()) {
                require(LedgerHash.personal(event).isEmpty(), "erased event " + event.seq() + " has personal fields");
            }
            if (!(event.form() == 1 && event.erased())) {
                require(
                        LedgerHash.of(event).equals(event.hash()),
                        "event " + event.seq() + " does not hash to its hash");
            }
            if (event.form() == 2 && !event.erased()) {
                String field = commitmentKey == null
                        ? (LedgerHash.personal(event).isEmpty() ? null : "(no commitment key)")
                        : LedgerHash.unopened(commitmentKey, event);
                require(field == null, "event " + event.seq() + ": " + field + " does not open its commitment");
            }
            replay.apply(event);
            events.add(event);
            prev = event.hash();
        }
        require(
                d.head().seq() == events.size() && d.head().hash().equals(prev),
                "the chain head is not the last event");
        checkState(d, replay);
        for (ProofDocument.Disclosure disclosure : d.disclosures()) {
            require(
                    HEX.formatHex(Hashing.sha256(disclosure.text())).equals(disclosure.hash()),
                    "disclosure " + disclosure.signUpUnit() + " v" + disclosure.version()
                            + " does not hash to its hash");
        }
        String anchored = d.checkpoint() == null ? "no checkpoint covers it yet" : checkCheckpoint(d, keys, events);
        return "contact " + d.contactId() + ", " + events.size() + " events, head " + prev + ", signed by " + d.keyId()
                + ", " + anchored;
    }

    private static void checkState(ProofDocument d, LedgerReplay replay) {
        Map<LedgerReplay.Key, LedgerReplay.State> stated = new HashMap<>();
        for (ProofDocument.State s : d.state()) {
            LedgerReplay.Key key = new LedgerReplay.Key(Channel.valueOf(s.channel()), s.address(), s.topic());
            LedgerReplay.State state = new LedgerReplay.State(
                    Status.valueOf(s.status()),
                    s.suspendedUntil() == null ? null : ProofDocument.instant(s.suspendedUntil()),
                    ProofDocument.instant(s.occurredAt()),
                    ProofDocument.instant(s.receivedAt()),
                    s.deleted());
            require(stated.put(key, state) == null, "state " + key + " is listed twice");
        }
        require(
                stated.equals(replay.states()),
                "the stated state is not what the events replay to: " + replay.states());
    }

    private static String checkCheckpoint(ProofDocument d, Map<String, byte[]> keys, List<ConsentEvent> events) {
        ProofDocument.CheckpointProof c = Objects.requireNonNull(d.checkpoint());
        Instant createdAt = ProofDocument.instant(c.createdAt());
        String canonical = Checkpoint.canonical(
                d.workspaceId(),
                c.number(),
                createdAt,
                c.keyId(),
                c.prevRoot(),
                c.contacts(),
                c.events(),
                c.entriesDigest());
        require(Checkpoint.root(canonical).equals(c.root()), "checkpoint " + c.number() + ": root is not its hash");
        byte[] key = keys.get(c.keyId());
        require(key != null, "checkpoint " + c.number() + ": its key " + c.keyId() + " is not in the document");
        require(
                Ed25519.verifies(
                        key, canonical.getBytes(StandardCharsets.UTF_8), base64url(c.signature(), "signature")),
                "checkpoint " + c.number() + ": the signature does not verify");
        StringBuilder lines = new StringBuilder();
        long previous = Long.MIN_VALUE;
        long eventCount = 0;
        String[] mine = null;
        for (String line : c.entries()) {
            String[] f = line.split(" ", -1);
            require(f.length == 5, "checkpoint " + c.number() + ": an entry is not five fields");
            long contact = Long.parseLong(f[0]);
            require(contact > previous, "checkpoint " + c.number() + ": entries are not in contact order");
            previous = contact;
            eventCount += Long.parseLong(f[2]) - Long.parseLong(f[1]) + 1;
            lines.append(line).append('\n');
            if (contact == d.contactId()) {
                mine = f;
            }
        }
        require(
                c.entries().size() == c.contacts() && eventCount == c.events(),
                "checkpoint " + c.number() + ": its entries are not the counts it states");
        require(
                HEX.formatHex(Hashing.sha256(lines.toString().getBytes(StandardCharsets.US_ASCII)))
                        .equals(c.entriesDigest()),
                "checkpoint " + c.number() + ": its entries do not hash to its digest");
        require(mine != null, "checkpoint " + c.number() + " has no entry for the contact");
        int from = Integer.parseInt(mine[1]);
        int to = Integer.parseInt(mine[2]);
        require(from >= 1 && to >= from && to <= events.size(), "checkpoint " + c.number() + ": entry out of range");
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        for (int seq = from; seq <= to; seq++) {
            hashes.writeBytes(HEX.parseHex(events.get(seq - 1).hash()));
        }
        require(
                events.get(to - 1).hash().equals(mine[3])
                        && HEX.formatHex(Hashing.sha256(hashes.toByteArray())).equals(mine[4]),
                "checkpoint " + c.number() + " recorded other hashes for events " + from + " to " + to);
        return "events 1 to " + to + " anchored by checkpoint " + c.number() + " (" + c.createdAt() + ")";
    }

    private static byte[] base64url(String text, String what) {
        byte[] bytes = BASE64URL.decode(text);
        // one spelling only: unused trailing bits set, or padding, would be a second one
        require(BASE64URL_OUT.encodeToString(bytes).equals(text), what + " is not canonical base64url");
        return bytes;
    }

    private static byte[] hex(String text, String what) {
        byte[] bytes = HEX.parseHex(text);
        require(HEX.formatHex(bytes).equals(text), what + " is not lowercase hex");
        return bytes;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new Invalid(message);
        }
    }
}
