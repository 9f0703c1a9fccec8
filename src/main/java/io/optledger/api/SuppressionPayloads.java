package io.optledger.api;

import io.optledger.contact.Channel;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.SuppressionReason;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The native API's bodies for suppressions. */
public final class SuppressionPayloads {

    private SuppressionPayloads() {}

    public record CreateSuppression(
            @NotNull Channel channel,
            @NotBlank String address,
            @NotNull SuppressionReason reason,
            @Nullable @Size(max = 1000) String note) {}

    public record SuppressionList(
            List<Suppression> suppressions, @Nullable String nextCursor) {}
}
