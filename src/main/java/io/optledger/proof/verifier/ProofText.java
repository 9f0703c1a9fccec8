package io.optledger.proof.verifier;

import io.optledger.consent.ledger.LedgerHash;
import io.optledger.platform.CanonicalLines;
import io.optledger.platform.Hashing;
import java.util.HexFormat;

/**
 * The text a proof's signature covers (docs/ledger.md, "Proof"): every field of the document that is not already bound
 * by the chain of hashes, and for each event a digest of its canonical form, so that even an erased form 1 event (whose
 * hash no longer recomputes) is bound to what the proof says it holds.
 */
public final class ProofText {

    private static final HexFormat HEX = HexFormat.of();

    private ProofText() {}

    /** The signed text; its UTF-8 bytes are what the Ed25519 signature is over. */
    public static String of(ProofDocument d) {
        CanonicalLines out = new CanonicalLines(ProofDocument.FORMAT)
                .line("workspace", Long.toString(d.workspaceId()))
                .line("contact", Long.toString(d.contactId()))
                .line("issuedAt", d.issuedAt())
                .line("keyId", d.keyId())
                .line("commitmentKey", d.commitmentKey())
                .line("head", d.head().seq() + " " + d.head().hash())
                .line(
                        "checkpoint",
                        d.checkpoint() == null ? null : d.checkpoint().root());
        for (ProofDocument.Event e : d.events()) {
            String digest = HEX.formatHex(
                    Hashing.sha256(LedgerHash.canonical(e.toConsentEvent(d.workspaceId(), d.contactId()))));
            out.line(
                    "event",
                    e.seq() + " " + e.form() + " " + (e.erased() ? "erased" : "live") + " " + e.hash() + " " + digest);
        }
        for (ProofDocument.State s : d.state()) {
            out.line("state.channel", s.channel())
                    .line("state.address", s.address())
                    .line("state.topic", s.topic())
                    .line("state.status", s.status())
                    .line("state.suspendedUntil", s.suspendedUntil())
                    .line("state.occurredAt", s.occurredAt())
                    .line("state.receivedAt", s.receivedAt())
                    .line("state.deleted", Boolean.toString(s.deleted()));
        }
        for (ProofDocument.Disclosure disclosure : d.disclosures()) {
            out.line("disclosure.signUpUnit", disclosure.signUpUnit())
                    .line("disclosure.version", Integer.toString(disclosure.version()))
                    .line("disclosure.hash", disclosure.hash());
        }
        for (ProofDocument.Key key : d.keys()) {
            out.line("key", key.kid() + " " + key.x());
        }
        return out.toString();
    }
}
