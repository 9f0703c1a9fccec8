package io.optledger.dialect.altcraft;

import io.optledger.consent.RequestContext;
import io.optledger.contact.Contact;
import io.optledger.proof.ContactErasure;
import org.springframework.stereotype.Component;

/**
 * {@code profiles/delete}: erases the profile's contact through the one erasure path ({@code POST
 * /v1/contacts/{id}/erase}, docs/erasure.md): its personal data gone everywhere, a tombstone that keeps its addresses
 * from marketing, {@code ERASE} on its chain, which still verifies.
 */
@Component
class AltcraftErasure {

    private final ContactErasure erasure;

    AltcraftErasure(ContactErasure erasure) {
        this.erasure = erasure;
    }

    void erase(long workspaceId, Contact profile, RequestContext context) {
        erasure.erase(workspaceId, profile.id(), context);
    }
}
