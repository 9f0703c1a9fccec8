package io.optledger.dialect.altcraft;

import io.optledger.consent.RequestContext;
import io.optledger.contact.Contact;
import org.springframework.stereotype.Component;

/**
 * {@code profiles/delete}'s one way to erase a profile. Erasure belongs to the proof module ({@code POST
 * /v1/contacts/{id}/erase}); until that path is on main, a delete is answered with a clear error and nothing changes.
 */
@Component
class AltcraftErasure {

    /** Erases the profile (its contact) as the native erase path does; for now, refuses. */
    void erase(long workspaceId, Contact profile, RequestContext context) {
        // wire the proof module's erasure here, one call replacing this line, once it is on main
        throw AltcraftError.NOT_AVAILABLE.failure("erasing a profile (profiles/delete) is not available on this"
                + " server yet; nothing was changed. Unsubscribe the profile (subscriptions/set with status"
                + " unsubscribed, or profiles/message_unsub) to stop messages meanwhile");
    }
}
