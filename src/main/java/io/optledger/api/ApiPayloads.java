package io.optledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.access.ApiKey;
import io.optledger.access.IssuedApiKey;
import io.optledger.access.Scope;
import io.optledger.access.Workspace;
import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.IdentifierDetachments;
import io.optledger.consent.Provenance;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.consent.ledger.Checkpoint;
import io.optledger.consent.ledger.CheckpointEntry;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.contact.Channel;
import io.optledger.contact.Contact;
import io.optledger.contact.Identifier;
import io.optledger.eligibility.Eligibility;
import io.optledger.platform.Timestamps.Rfc3339;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/** The native API's request and response bodies. */
public final class ApiPayloads {

    private ApiPayloads() {}

    // ---- workspaces and keys

    public record CreateWorkspace(
            @NotBlank @Size(max = 200) String name,
            @Nullable String defaultRegion) {}

    public record WorkspaceCreated(long id, String name, String defaultRegion, Instant createdAt, KeyIssued adminKey) {
        static WorkspaceCreated of(Workspace workspace, IssuedApiKey key) {
            return new WorkspaceCreated(
                    workspace.id(),
                    workspace.name(),
                    workspace.defaultRegion(),
                    workspace.createdAt(),
                    KeyIssued.of(key));
        }
    }

    public record CreateKey(
            @NotBlank @Size(max = 200) String name,
            @NotEmpty Set<Scope> scopes) {}

    /** A new key; {@code key} is the secret, shown this once. */
    public record KeyIssued(String id, String name, Set<Scope> scopes, Instant createdAt, String key) {
        static KeyIssued of(IssuedApiKey issued) {
            ApiKey key = issued.key();
            return new KeyIssued(key.id(), key.name(), key.scopes(), key.createdAt(), issued.secret());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(
            String id,
            String name,
            Set<Scope> scopes,
            Instant createdAt,
            @Nullable Instant revokedAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), key.scopes(), key.createdAt(), key.revokedAt());
        }
    }

    public record KeyList(List<KeyView> keys) {}

    // ---- contacts

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

    // ---- topics

    public record CreateTopic(
            @NotBlank String key,
            @NotBlank @Size(max = 200) String name,

            @Nullable @Size(min = 1, max = Topic.MAX_DESCRIPTION)
            String description,

            @NotNull TopicKind kind,
            @Nullable Boolean defaultOptIn,
            @Nullable Boolean mandatory,
            @Nullable Set<Channel> doubleOptIn) {}

    public record UpdateTopic(
            @Nullable @Size(min = 1, max = 200) String name,
            @Nullable @Size(max = Topic.MAX_DESCRIPTION) String description,
            @Nullable Boolean defaultOptIn,
            @Nullable Boolean mandatory,
            @Nullable Set<Channel> doubleOptIn) {}

    public record TopicList(List<Topic> topics) {}

    // ---- subscription changes

    /**
     * Changes applied together. {@code createContacts} (default true) creates a contact for an email or phone that
     * names none, in the same transaction: a sign-up in one call; false rejects such an item as
     * {@code contact_not_found}.
     */
    public record ChangeRequest(
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull ChangeItem> items,

            @Schema(
                    description = "true (the default): an item naming by email or phone a contact that does"
                            + " not exist creates it in the same transaction; false: such an item is rejected"
                            + " as contact_not_found")
            @Nullable
            Boolean createContacts) {

        /** Whether items may create the contacts they name by email or phone. */
        public boolean createsContacts() {
            return !Boolean.FALSE.equals(createContacts);
        }
    }

    /** One change. Name the contact by exactly one of contactId, email, phone, externalId or identifier. */
    public record ChangeItem(
            @Nullable @Positive Long contactId,
            @Nullable String email,
            @Nullable String phone,
            @Nullable String externalId,
            @Nullable @Valid NamedIdentifier identifier,
            @NotNull Channel channel,
            @Nullable String address,
            @NotBlank String topic,
            @NotNull Action action,

            @Nullable @JsonDeserialize(using = Rfc3339.class)
            Instant occurredAt,

            @Nullable @JsonDeserialize(using = Rfc3339.class)
            Instant suspendedUntil,

            @Nullable @Size(max = Provenance.MAX_SOURCE) String source,
            @Nullable @Size(max = Provenance.MAX_REASON) String reason,
            @Nullable @Size(max = 200) String campaignId,
            @Nullable @Size(max = 200) String communicationId)
            implements NamesContact {}

    public record NamedIdentifier(
            @NotBlank String name, @NotBlank String value) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChangeResult(
            int index,
            String outcome,
            @Nullable Long contactId,
            @Nullable Long eventSeq,
            @Nullable Status previousStatus,
            @Nullable Subscription subscription,
            @Nullable String reason,
            @Nullable String message) {

        static ChangeResult of(int index, ChangeOutcome outcome) {
            return switch (outcome) {
                case ChangeOutcome.Created c ->
                    new ChangeResult(
                            index,
                            "created",
                            c.subscription().contactId(),
                            c.eventSeq(),
                            null,
                            c.subscription(),
                            null,
                            null);
                case ChangeOutcome.Changed c ->
                    new ChangeResult(
                            index,
                            "changed",
                            c.subscription().contactId(),
                            c.eventSeq(),
                            c.from(),
                            c.subscription(),
                            null,
                            null);
                case ChangeOutcome.Unchanged u ->
                    new ChangeResult(
                            index,
                            "unchanged",
                            u.subscription().contactId(),
                            u.eventSeq(),
                            u.subscription().status(),
                            u.subscription(),
                            null,
                            null);
                case ChangeOutcome.Stale s ->
                    new ChangeResult(
                            index,
                            "stale",
                            s.current().contactId(),
                            s.eventSeq(),
                            s.current().status(),
                            s.current(),
                            "stale",
                            "older than the current state: recorded in the ledger, state kept");
                case ChangeOutcome.Rejected r ->
                    new ChangeResult(
                            index,
                            "rejected",
                            r.contactId(),
                            r.eventSeq(),
                            null,
                            null,
                            r.reason().code(),
                            r.message());
            };
        }
    }

    public record ChangeSummary(int created, int changed, int unchanged, int stale, int rejected) {
        static ChangeSummary of(List<ChangeResult> results) {
            int[] counts = new int[5];
            for (ChangeResult result : results) {
                counts[
                        switch (result.outcome()) {
                            case "created" -> 0;
                            case "changed" -> 1;
                            case "unchanged" -> 2;
                            case "stale" -> 3;
                            default -> 4;
                        }]++;
            }
            return new ChangeSummary(counts[0], counts[1], counts[2], counts[3], counts[4]);
        }
    }

    public record ChangeResponse(ChangeSummary summary, List<ChangeResult> results) {}

    public record SubscriptionList(long contactId, List<Subscription> subscriptions) {}

    // ---- ledger

    public record EventPage(
            long contactId,
            List<ConsentEvent> events,
            @Nullable Long nextAfterSeq) {}

    /** A signed checkpoint as an auditor checks it offline; the signature is base64url, the hashes hex. */
    public record CheckpointView(
            long workspaceId,
            long number,
            String createdAt,
            String keyId,
            String prevRoot,
            int contacts,
            long events,
            String entriesDigest,
            String root,
            String signature,
            String signed) {

        static CheckpointView of(Checkpoint c) {
            return new CheckpointView(
                    c.workspaceId(),
                    c.number(),
                    // the signed text's form exactly, whatever the JSON mapper's date settings
                    java.time.format.DateTimeFormatter.ISO_INSTANT.format(c.createdAt()),
                    c.keyId(),
                    c.prevRoot(),
                    c.contacts(),
                    c.events(),
                    c.entriesDigest(),
                    c.root(),
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(c.signature()),
                    c.canonical());
        }
    }

    public record CheckpointPage(
            List<CheckpointView> checkpoints, @Nullable Long nextAfter) {}

    /** A contact's events in a checkpoint: {@code hashes} are theirs from {@code fromSeq} to {@code toSeq}. */
    public record CheckpointEntryView(long contactId, long fromSeq, long toSeq, String head, List<String> hashes) {

        static CheckpointEntryView of(CheckpointEntry e) {
            return new CheckpointEntryView(e.contactId(), e.fromSeq(), e.toSeq(), e.head(), e.hexHashes());
        }
    }

    public record CheckpointEntryPage(
            long number,
            List<CheckpointEntryView> entries,
            @Nullable Long nextAfterContact) {}

    /** A public key in JWK form (RFC 8037): {@code kid} is its RFC 7638 thumbprint. */
    public record PublicKeyView(
            String kty, String crv, String alg, String use, String kid, String x, long workspace, boolean active) {}

    public record PublicKeySet(List<PublicKeyView> keys) {}

    // ---- eligibility and suppressions

    /** Up to 1,000 eligibility questions, each asked as the single form asks it. */
    public record EligibilityBatch(
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull EligibilityLookup> lookups) {}

    public record EligibilityLookup(
            @NotNull Channel channel,
            @NotBlank String topic,
            @Nullable String email,
            @Nullable String phone,
            @Nullable Long contactId,
            @Nullable String address) {}

    /** One answer: the eligibility, or the error the single form would have answered (400 or 404). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EligibilityResult(
            int index,
            @Nullable Eligibility eligibility,
            @Nullable LookupError error) {}

    public record LookupError(int status, String type, String detail) {}

    public record EligibilityBatchResponse(List<EligibilityResult> results) {}

    public record CreateSuppression(
            @NotNull Channel channel,
            @NotBlank String address,
            @NotNull SuppressionReason reason,
            @Nullable @Size(max = 1000) String note) {}

    public record SuppressionList(
            List<Suppression> suppressions, @Nullable String nextCursor) {}
}
