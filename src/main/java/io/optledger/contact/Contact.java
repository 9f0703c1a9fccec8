package io.optledger.contact;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A person in a workspace, with its identifiers by name and free-form attributes. */
public record Contact(
        long id,
        long workspaceId,
        Map<String, String> identifiers,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt) {

    public Contact {
        identifiers = Map.copyOf(identifiers);
        // attribute values may be JSON null, which Map.copyOf refuses
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public @Nullable String email() {
        return identifiers.get(Identifier.EMAIL);
    }

    public @Nullable String phone() {
        return identifiers.get(Identifier.PHONE);
    }

    public @Nullable String externalId() {
        return identifiers.get(Identifier.EXTERNAL_ID);
    }
}
