package io.optledger.dialect.altcraft;

import io.optledger.access.Workspaces;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.platform.Conflict;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Altcraft profiles as contacts. A profile belongs to one database (the contact attribute {@code altcraftDbId}); its
 * {@code profile_id} is the contact id, or, for profiles brought over from Altcraft with their ids, the contact's
 * {@code altcraftProfileId} identifier.
 */
@Component
class AltcraftProfiles {

    static final String DB_ATTRIBUTE = "altcraftDbId";
    static final String PROFILE_ID = "altcraftProfileId";
    private static final Pattern CONTACT_ID = Pattern.compile("[1-9][0-9]{0,18}");

    private final Contacts contacts;
    private final Workspaces workspaces;

    AltcraftProfiles(Contacts contacts, Workspaces workspaces) {
        this.contacts = contacts;
        this.workspaces = workspaces;
    }

    /** The profile a {@code profile_id} names in a database, or {@link AltcraftError#UNKNOWN_PROFILE}. */
    Contact resolve(long workspaceId, long dbId, String profileId) {
        Contact contact;
        try {
            contact = CONTACT_ID.matcher(profileId).matches()
                    ? contacts.get(workspaceId, Long.parseLong(profileId))
                    : contacts.find(workspaceId, new Identifier(PROFILE_ID, profileId))
                            .orElseThrow(() -> new NotFound(profileId));
        } catch (NotFound | InvalidInput e) {
            throw AltcraftError.UNKNOWN_PROFILE.failure("profile_id '" + profileId + "'");
        }
        if (!Long.toString(dbId).equals(dbOf(contact))) {
            throw AltcraftError.UNKNOWN_PROFILE.failure("profile_id '" + profileId + "' in db_id " + dbId);
        }
        return contact;
    }

    /**
     * Adds a profile to a database from its fields: {@code email} and {@code phone} become identifiers, the rest its
     * attributes. A profile those identifiers already name in this database is answered again; one in another
     * database is a {@link AltcraftError#PROFILE_CONFLICT}, since a person is one contact in a workspace.
     */
    Contacts.Registration add(long workspaceId, long dbId, Map<String, Object> data) {
        String region = workspaces.defaultRegion(workspaceId);
        List<Identifier> identifiers = new ArrayList<>(2);
        Map<String, Object> attributes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> field : data.entrySet()) {
                switch (field.getKey()) {
                    case "email" -> identifiers.add(Identifier.normalised(Identifier.EMAIL, text(field), region));
                    case "phone" -> identifiers.add(Identifier.normalised(Identifier.PHONE, text(field), region));
                    default -> attributes.put(field.getKey(), field.getValue());
                }
            }
        } catch (InvalidInput e) {
            throw AltcraftError.INVALID_FIELD.failure("data." + e.field() + ": " + e.getMessage());
        }
        if (identifiers.isEmpty()) {
            throw AltcraftError.INVALID_FIELD.failure("data: give an email or a phone");
        }
        for (Long existing : contacts.idsOf(workspaceId, identifiers).values()) {
            String db = dbOf(contacts.get(workspaceId, existing));
            if (db != null && !db.equals(Long.toString(dbId))) {
                throw AltcraftError.PROFILE_CONFLICT.failure(
                        "the email or phone belongs to profile " + existing + " in db_id " + db);
            }
        }
        attributes.put(DB_ATTRIBUTE, Long.toString(dbId));
        try {
            return contacts.register(workspaceId, identifiers, attributes);
        } catch (Conflict e) {
            throw AltcraftError.PROFILE_CONFLICT.failure(e.getMessage());
        }
    }

    /** A profile as Altcraft's profiles/get answers it. */
    static Map<String, Object> view(Contact contact) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("profile_id", Long.toString(contact.id()));
        profile.put("db_id", Long.parseLong(Objects.requireNonNull(dbOf(contact))));
        profile.put("email", contact.email());
        profile.put("phone", contact.phone());
        contact.attributes().forEach((name, value) -> {
            if (!name.equals(DB_ATTRIBUTE)) {
                profile.putIfAbsent(name, value);
            }
        });
        profile.put("created", contact.createdAt().toString());
        profile.put("updated", contact.updatedAt().toString());
        return profile;
    }

    static @Nullable String dbOf(Contact contact) {
        Object db = contact.attributes().get(DB_ATTRIBUTE);
        return db == null ? null : db.toString();
    }

    private static String text(Map.Entry<String, Object> field) {
        if (!(field.getValue() instanceof String text)) {
            throw new InvalidInput(field.getKey(), "must be text");
        }
        return text;
    }
}
