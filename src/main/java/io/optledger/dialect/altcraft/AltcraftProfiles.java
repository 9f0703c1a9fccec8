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
import java.util.Locale;
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
     * The id of the profile a {@code profile_id} names in a database, as {@link #resolve} finds it: a contact id in
     * the database is checked with one query for its database attribute alone; anything else (an imported profile id,
     * an unknown contact, another database) is left to {@link #resolve}, so its answers and failures are the same.
     */
    long resolveId(long workspaceId, long dbId, String profileId) {
        Long id = contactId(profileId);
        if (id != null) {
            String db =
                    contacts.attributeOf(workspaceId, List.of(id), DB_ATTRIBUTE).get(id);
            if (Long.toString(dbId).equals(db)) {
                return id;
            }
        }
        return resolve(workspaceId, dbId, profileId).id();
    }

    /**
     * The contact id a {@code profile_id} is, if it is one of a profile in the database; null where it cannot be one
     * and only {@link #resolve} can say what it names.
     */
    static @Nullable Long contactId(String profileId) {
        // up to 18 digits always fits a long; 19 may not, and resolve says what it says about those
        return profileId.length() < 19 && CONTACT_ID.matcher(profileId).matches() ? Long.parseLong(profileId) : null;
    }

    /** The profile a {@code profile_id} names in whichever database it is, or {@link AltcraftError#UNKNOWN_PROFILE}. */
    Contact resolveInAnyDatabase(long workspaceId, String profileId) {
        try {
            Contact contact = CONTACT_ID.matcher(profileId).matches()
                    ? contacts.get(workspaceId, Long.parseLong(profileId))
                    : contacts.find(workspaceId, new Identifier(PROFILE_ID, profileId))
                            .orElseThrow(() -> new NotFound(profileId));
            if (dbOf(contact) == null) {
                throw new NotFound(profileId);
            }
            return contact;
        } catch (NotFound | InvalidInput e) {
            throw AltcraftError.UNKNOWN_PROFILE.failure("profile_id '" + profileId + "'");
        }
    }

    /**
     * The profile a call names by Altcraft's {@code matching}: {@code profile_id}, {@code email} or {@code phone}
     * (the default: profile_id when one is given, else email), in the database {@code db_id}.
     */
    Contact match(long workspaceId, long dbId, AltcraftRequest request) {
        String matching = request.text("matching");
        if (matching == null) {
            matching = request.text("profile_id") != null ? "profile_id" : "email";
        }
        String name = switch (matching.toLowerCase(Locale.ROOT)) {
            case "profile_id" -> "profile_id";
            case "email" -> Identifier.EMAIL;
            case "phone" -> Identifier.PHONE;
            default -> throw AltcraftRequest.invalid("matching", "email, phone or profile_id");
        };
        if (name.equals("profile_id")) {
            return resolve(workspaceId, dbId, request.requiredText("profile_id"));
        }
        String value = request.requiredText(name);
        Identifier identifier;
        try {
            identifier = Identifier.normalised(name, value, workspaces.defaultRegion(workspaceId));
        } catch (InvalidInput e) {
            throw AltcraftError.INVALID_FIELD.failure(name + ": " + e.getMessage());
        }
        Contact contact = contacts.find(workspaceId, identifier)
                .filter(found -> Long.toString(dbId).equals(dbOf(found)))
                .orElseThrow(() ->
                        AltcraftError.UNKNOWN_PROFILE.failure("no profile with this " + name + " in db_id " + dbId));
        return contact;
    }

    /**
     * Updates a profile's fields: {@code email} and {@code phone} are added where the profile has none (a different
     * one is a {@link AltcraftError#PROFILE_CONFLICT}: a person's address is never silently replaced), the rest are
     * merged into its attributes.
     */
    Contact update(long workspaceId, Contact profile, Map<String, Object> data) {
        String region = workspaces.defaultRegion(workspaceId);
        List<Identifier> identifiers = new ArrayList<>();
        profile.identifiers().forEach((name, value) -> identifiers.add(new Identifier(name, value)));
        Map<String, Object> attributes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> field : data.entrySet()) {
                switch (field.getKey()) {
                    case "email" -> identifiers.add(Identifier.normalised(Identifier.EMAIL, text(field), region));
                    case "phone" -> identifiers.add(Identifier.normalised(Identifier.PHONE, text(field), region));
                    case DB_ATTRIBUTE -> throw new InvalidInput(DB_ATTRIBUTE, "a profile's database does not change");
                    default -> attributes.put(field.getKey(), field.getValue());
                }
            }
        } catch (InvalidInput e) {
            throw AltcraftError.INVALID_FIELD.failure("data." + e.field() + ": " + e.getMessage());
        }
        List<Identifier> distinct = identifiers.stream().distinct().toList();
        try {
            Contacts.Registration updated = contacts.register(workspaceId, distinct, attributes);
            if (updated.contact().id() != profile.id()) {
                throw AltcraftError.PROFILE_CONFLICT.failure("the email or phone belongs to another profile");
            }
            return updated.contact();
        } catch (Conflict e) {
            throw AltcraftError.PROFILE_CONFLICT.failure(e.getMessage());
        }
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
