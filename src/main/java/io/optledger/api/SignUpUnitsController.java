package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.topic.SignUpUnit;
import io.optledger.topic.SignUpUnit.Disclosure;
import io.optledger.topic.SignUpUnit.SubscriptionType;
import io.optledger.topic.SignUpUnit.UnitChannel;
import io.optledger.topic.SignUpUnits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sign-up units")
class SignUpUnitsController {

    private final SignUpUnits units;

    SignUpUnitsController(SignUpUnits units) {
        this.units = units;
    }

    /** A locale as Attentive gives it. */
    record LocaleView(@NotBlank String language, @NotBlank String country) {}

    record CreateUnit(
            @NotBlank String name,
            @NotNull UnitChannel channel,
            @NotNull SubscriptionType subscriptionType,
            @NotNull @Valid LocaleView locale,
            @Nullable Boolean singleOptInAllowed,
            @NotBlank String disclosure) {}

    record UpdateUnit(
            @Nullable String name,
            @Nullable @Valid LocaleView locale,
            @Nullable Boolean singleOptInAllowed,
            @Nullable String disclosure) {}

    /** A unit as the API shows it; {@code id} is the {@code signUpSourceId}. */
    record UnitView(
            String id,
            String name,
            UnitChannel channel,
            SubscriptionType subscriptionType,
            String topic,
            LocaleView locale,
            boolean singleOptInAllowed,
            Disclosure disclosure,
            Instant createdAt,
            Instant updatedAt) {

        static UnitView of(SignUpUnit unit) {
            return new UnitView(
                    unit.id(),
                    unit.name(),
                    unit.channel(),
                    unit.subscriptionType(),
                    unit.subscriptionType().topic(),
                    new LocaleView(unit.language(), unit.country()),
                    unit.singleOptInAllowed(),
                    unit.disclosure(),
                    unit.createdAt(),
                    unit.updatedAt());
        }
    }

    record UnitList(List<UnitView> units) {}

    record DisclosureList(List<Disclosure> disclosures) {}

    @PostMapping("/v1/sign-up-units")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Create a sign-up unit: an opt-in entry point with its channel, type, locale and disclosure",
            description = "The subscription type is the topic (MARKETING: marketing, TRANSACTIONAL: transactional,"
                    + " CHECKOUT_ABANDONED: checkout-abandoned). The id is Attentive's signUpSourceId.")
    UnitView create(Caller caller, @Valid @RequestBody CreateUnit request) {
        return UnitView.of(units.create(
                caller.workspaceId(),
                new SignUpUnits.UnitDraft(
                        request.name(),
                        request.channel(),
                        request.subscriptionType(),
                        request.locale().language(),
                        request.locale().country(),
                        Boolean.TRUE.equals(request.singleOptInAllowed()),
                        request.disclosure())));
    }

    @GetMapping("/v1/sign-up-units")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    UnitList list(Caller caller) {
        return new UnitList(
                units.list(caller.workspaceId()).stream().map(UnitView::of).toList());
    }

    @GetMapping("/v1/sign-up-units/{id}")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    UnitView get(Caller caller, @PathVariable String id) {
        return UnitView.of(units.get(caller.workspaceId(), id));
    }

    @GetMapping("/v1/sign-up-units/{id}/disclosures")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "Every version of the unit's disclosure: the text each opt-in's ledger event names by hash")
    DisclosureList disclosures(Caller caller, @PathVariable String id) {
        return new DisclosureList(units.disclosures(caller.workspaceId(), id));
    }

    @PatchMapping("/v1/sign-up-units/{id}")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Change a unit; a changed disclosure becomes a new version, the old ones are kept")
    UnitView update(Caller caller, @PathVariable String id, @Valid @RequestBody UpdateUnit request) {
        return UnitView.of(units.update(
                caller.workspaceId(),
                id,
                new SignUpUnits.UnitPatch(
                        request.name(),
                        request.locale() == null ? null : request.locale().language(),
                        request.locale() == null ? null : request.locale().country(),
                        request.singleOptInAllowed(),
                        request.disclosure())));
    }

    @DeleteMapping("/v1/sign-up-units/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Retire a unit: it no longer resolves; its disclosures stay for the ledger")
    void delete(Caller caller, @PathVariable String id) {
        units.delete(caller.workspaceId(), id);
    }
}
