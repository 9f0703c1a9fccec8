package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.api.SuppressionPayloads.CreateSuppression;
import io.optledger.api.SuppressionPayloads.SuppressionList;
import io.optledger.consent.RequestContext;
import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.Suppressions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Suppressions")
class SuppressionsController {

    private final Suppressions suppressions;

    /** The workspace ledger's source for changes made through this API. */
    static final String SOURCE = "api";

    SuppressionsController(Suppressions suppressions) {
        this.suppressions = suppressions;
    }

    @PostMapping("/v1/suppressions")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(summary = "Suppress an address on a channel: never messaged, whatever its subscriptions")
    Suppression suppress(Caller caller, HttpServletRequest http, @Valid @RequestBody CreateSuppression request) {
        return suppressions.suppress(
                caller.workspaceId(),
                request.channel(),
                request.address(),
                request.reason(),
                request.note(),
                RequestContext.of(http, caller.keyId()).actor(SOURCE, request.note()));
    }

    @GetMapping("/v1/suppressions")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "List suppressions by channel and address; pass nextCursor back as cursor for the next page")
    SuppressionList list(
            Caller caller,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        String[] after = cursor == null ? new String[] {"", ""} : decode(cursor);
        List<Suppression> page = suppressions.page(caller.workspaceId(), after[0], after[1], limit);
        String next = page.size() == limit ? encode(page.getLast()) : null;
        return new SuppressionList(page, next);
    }

    @DeleteMapping("/v1/suppressions")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Lift a suppression",
            description = "Recorded on the workspace ledger (GET /v1/ledger/workspace-events) with the key that lifted"
                    + " it and the reason given.")
    void lift(
            Caller caller,
            HttpServletRequest http,
            @RequestParam Channel channel,
            @RequestParam String address,
            @RequestParam(required = false) @Nullable @Size(max = 1000) String reason) {
        suppressions.lift(
                caller.workspaceId(),
                channel,
                address,
                RequestContext.of(http, caller.keyId()).actor(SOURCE, reason));
    }

    private static String encode(Suppression last) {
        String position = last.channel().name() + "\n" + last.address();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
            if (parts.length == 2) {
                return parts;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw new InvalidInput("cursor", "not a cursor this API returned");
    }
}
