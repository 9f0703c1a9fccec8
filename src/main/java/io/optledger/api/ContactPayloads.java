package io.optledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.consent.IdentifierDetachments;
import io.optledger.consent.Provenance;
import io.optledger.contact.Contact;
import io.optledger.contact.Identifier;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The native API's bodies for contacts, their identifiers and the reassignment of their phone numbers. */
public final class ContactPayloads {

    private ContactPayloads() {}

    public record RegisterContact(
            @Nullable String email,
            @Nullable String phone,
            @Nullable @Size(max = 512) String externalId,
            @Nullable Map<String, String> identifiers,
            @Nullable Map<String, Object> attributes,
            @Nullable Boolean reassign) {}

    /** A carrier's (or any) report that phone numbers now belong to someone else. */
    public record PhoneReassignments(
            @NotEmpty @Size(max = 1000) List<@NotBlank String> numbers,
            @Nullable @Size(max = Provenance.MAX_REASON) String reason) {}

    public record DetachedView(
            String kind, String value, @Nullable Long formerContact, int subscriptionsDetached) {
        static DetachedView of(IdentifierDetachments.Detached d) {
            return new DetachedView(
                    d.identifier().name(), d.identifier().value(), d.formerContact(), d.subscriptionsDetached());
        }
    }

    public record PhoneReassignmentResults(List<DetachedView> results) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContactView(
            long id,
            @Nullable String email,
            @Nullable String phone,
            @Nullable String externalId,
            Map<String, String> identifiers,
            Map<String, Object> attributes,
            Instant createdAt,
            Instant updatedAt) {
        static ContactView of(Contact contact) {
            Map<String, String> custom = new LinkedHashMap<>(contact.identifiers());
            custom.keySet().removeAll(List.of(Identifier.EMAIL, Identifier.PHONE, Identifier.EXTERNAL_ID));
            return new ContactView(
                    contact.id(),
                    contact.email(),
                    contact.phone(),
                    contact.externalId(),
                    custom,
                    contact.attributes(),
                    contact.createdAt(),
                    contact.updatedAt());
        }
    }

    public record ContactList(List<ContactView> contacts) {}

    public record NamedIdentifier(
            @NotBlank String name, @NotBlank String value) {}
}
