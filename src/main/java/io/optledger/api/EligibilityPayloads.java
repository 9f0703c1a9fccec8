package io.optledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.contact.Channel;
import io.optledger.eligibility.Eligibility;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The native API's bodies for eligibility checked in batches. */
public final class EligibilityPayloads {

    private EligibilityPayloads() {}

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
}
