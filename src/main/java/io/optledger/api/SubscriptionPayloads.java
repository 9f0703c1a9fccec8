package io.optledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.api.ContactPayloads.NamedIdentifier;
import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.Provenance;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.platform.Timestamps.Rfc3339;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/** The native API's bodies for subscription changes and a contact's subscriptions. */
public final class SubscriptionPayloads {

    private SubscriptionPayloads() {}

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
}
