package io.optledger.consent;

import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Finds the contacts a group's batches name, in the group's transaction, creating those a sign-up may create. */
@Component
class NamedContacts {

    /** The identifiers a sign-up may create a contact by. */
    private static final Set<String> CREATED_BY = Set.of(Identifier.EMAIL, Identifier.PHONE);

    private final Contacts contacts;

    NamedContacts(Contacts contacts) {
        this.contacts = contacts;
    }

    /**
     * The contacts the batches name, creating one for each new email or phone a batch that may create contacts names.
     * A batch that may not sees such a contact only when a batch before it created it.
     */
    Resolution resolve(long workspaceId, List<ConsentBatch> batches) {
        Set<Long> byId = new LinkedHashSet<>();
        Set<Identifier> byIdentifier = new LinkedHashSet<>();
        Map<Identifier, Integer> firstCreator = new HashMap<>();
        for (int b = 0; b < batches.size(); b++) {
            for (ConsentCommand command : batches.get(b).commands()) {
                switch (command.contact()) {
                    case ContactRef.ById ref -> byId.add(ref.id());
                    case ContactRef.ByIdentifier ref -> {
                        byIdentifier.add(ref.identifier());
                        if (batches.get(b).createContacts()
                                && CREATED_BY.contains(ref.identifier().name())) {
                            firstCreator.putIfAbsent(ref.identifier(), b);
                        }
                    }
                }
            }
        }
        Map<ContactRef, Long> resolved = new HashMap<>();
        for (Long id : byId) {
            resolved.put(ContactRef.id(id), id);
        }
        Map<Identifier, Integer> createdBy = new HashMap<>();
        if (firstCreator.isEmpty()) {
            contacts.idsOf(workspaceId, byIdentifier)
                    .forEach((identifier, id) -> resolved.put(ContactRef.identifier(identifier), id));
        } else {
            Contacts.Resolution resolution = contacts.idsOrCreate(workspaceId, byIdentifier, firstCreator.keySet());
            resolution.ids().forEach((identifier, id) -> resolved.put(ContactRef.identifier(identifier), id));
            resolution.created().forEach(identifier -> createdBy.put(identifier, firstCreator.get(identifier)));
        }
        return new Resolution(resolved, createdBy);
    }

    /** Contact ids by reference, and the batch that created each identifier created here. */
    record Resolution(Map<ContactRef, Long> ids, Map<Identifier, Integer> createdBy) {

        /** The contact a batch's reference names, as that batch sees it (not one a later batch of the group creates). */
        @Nullable
        Long of(int batch, ContactRef ref) {
            if (ref instanceof ContactRef.ByIdentifier named) {
                Integer creator = createdBy.get(named.identifier());
                if (creator != null && creator > batch) {
                    return null;
                }
            }
            return ids.get(ref);
        }
    }
}
