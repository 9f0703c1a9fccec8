package io.optledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.api.ContactPayloads.NamedIdentifier;
import io.optledger.contact.Channel;
import io.optledger.preferences.LinkKey;
import io.optledger.preferences.LinkKind;
import io.optledger.preferences.PublicLinks;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The signed-link endpoints' bodies. */
final class LinkPayloads {

    private LinkPayloads() {}

    /**
     * A link to mint for one contact, named by exactly one of contactId, email, phone, externalId or identifier.
     *
     * @param topic and channel: what an unsubscribe link withdraws, or the preference page shows first; none means
     *     every marketing topic (unsubscribe) or all (preferences)
     * @param locale the pages' language (BCP 47, e.g. {@code fr-CA}); none means the browser's
     * @param lifetimeDays shorter than the kind's configured lifetime, never longer
     */
    record LinkRequest(
            @Nullable @Positive Long contactId,
            @Nullable String email,
            @Nullable String phone,
            @Nullable String externalId,
            @Nullable @Valid NamedIdentifier identifier,
            @NotNull LinkKind kind,
            @Nullable String topic,
            @Nullable Channel channel,

            @Nullable @Pattern(regexp = "[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}", message = "is not a language tag")
            String locale,

            @Nullable @Positive @Max(3650) Integer lifetimeDays)
            implements NamesContact {}

    record LinkBatch(@NotEmpty @Size(max = 1000) List<@Valid @NotNull LinkRequest> items) {}

    /**
     * A minted link. For email senders, {@code headers} are the RFC 8058 pair, ready to paste into the message:
     * present for unsubscribe links, and for preference links beside the one-click unsubscribe link they name.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LinkAnswer(
            LinkKind kind,
            long contactId,
            String url,
            Instant expiresAt,
            @Nullable String unsubscribeUrl,
            @Nullable Map<String, String> headers) {

        static LinkAnswer of(PublicLinks.Link link, PublicLinks.@Nullable Link unsubscribe) {
            return new LinkAnswer(
                    link.kind(),
                    link.claims().contactId(),
                    link.url(),
                    link.claims().expiresAt(),
                    unsubscribe == null ? null : unsubscribe.url(),
                    unsubscribe == null
                            ? null
                            : Map.of(
                                    "List-Unsubscribe",
                                    unsubscribe.listUnsubscribe(),
                                    "List-Unsubscribe-Post",
                                    PublicLinks.ONE_CLICK));
        }
    }

    /** One item of a batch: its link, or why it has none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchLink(
            int index,
            @Nullable LinkAnswer link,
            @Nullable String error,
            @Nullable String message) {}

    record BatchLinks(List<BatchLink> links) {}

    record LinkKeys(List<LinkKey.Summary> keys) {}
}
