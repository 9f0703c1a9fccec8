package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.proof.ContactProofs;
import io.optledger.proof.verifier.ProofDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A contact's signed consent proof, for an auditor to check offline. */
@RestController
@Tag(name = "Contacts")
class ContactProofController {

    private final ContactProofs proofs;

    ContactProofController(ContactProofs proofs) {
        this.proofs = proofs;
    }

    @GetMapping("/v1/contacts/{id}/proof")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "The contact's consent proof: a self-contained document signed with the workspace's Ed25519 key",
            description = "Its ledger events with every field, the disclosure texts of the sign-up units they name, the"
                    + " chain head, the current state, the latest signed checkpoint that covers it (with all its entry"
                    + " lines), the public keys, and an Ed25519 signature (base64url) over the text docs/ledger.md"
                    + " (Proof) defines. Verify it with no service at all: java -jar optledger.jar verify proof.json"
                    + " [--key key.pem], or with the algorithm in docs/ledger.md. A chain longer than"
                    + " optledger.proof.max-events (20,000) answers 422 proof-too-large.")
    ProofDocument proof(Caller caller, @PathVariable long id) {
        return proofs.proof(caller.workspaceId(), id);
    }
}
