package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.api.ContactPayloads.DetachedView;
import io.optledger.api.ContactPayloads.PhoneReassignmentResults;
import io.optledger.api.ContactPayloads.PhoneReassignments;
import io.optledger.consent.IdentifierDetachments;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Identifiers that change owner: a contact's address detached, and phone numbers a carrier reports reassigned. */
@RestController
@Tag(name = "Contacts")
class IdentifiersController {

    private final IdentifierDetachments detachments;
    private final Workspaces workspaces;

    IdentifiersController(IdentifierDetachments detachments, Workspaces workspaces) {
        this.detachments = detachments;
        this.workspaces = workspaces;
    }

    @DeleteMapping("/v1/contacts/{id}/identifiers/{kind}/{value}")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Detach an identifier from the contact (a recycled number, an email handed on)",
            description = "The identifier then names nobody, and the contact's subscriptions at that address become"
                    + " DETACHED (a DETACH event on its ledger): kept as history, counted for nothing at the address, so"
                    + " the next owner starts clean. On the workspace ledger as IDENTIFIER_DETACHED. kind is email,"
                    + " phone, externalId or a custom identifier's name; value is normalised as on registration.")
    DetachedView detach(
            Caller caller,
            HttpServletRequest http,
            @PathVariable long id,
            @PathVariable String kind,
            @PathVariable String value,
            @RequestParam(required = false) @Nullable @Size(max = Provenance.MAX_REASON) String reason) {
        Identifier identifier = normalised(caller, kind, value, "value");
        return DetachedView.of(detachments.detach(
                caller.workspaceId(),
                id,
                identifier,
                IdentifierDetachments.Scope.CONTACT,
                reason == null ? "user_request" : reason,
                RequestContext.of(http, caller.keyId())));
    }

    @PostMapping("/v1/phone-reassignments")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Report phone numbers that now belong to someone else (a carrier's reassigned-numbers feed)",
            description = "Each number is detached from whoever holds it, and every subscription at it becomes"
                    + " DETACHED, whichever contact held it: the old owners' consent never applies to the new one."
                    + " Up to 1,000 numbers, all checked before anything is written, applied in one transaction;"
                    + " reporting a number again changes nothing.")
    PhoneReassignmentResults reassigned(
            Caller caller, HttpServletRequest http, @Valid @RequestBody PhoneReassignments request) {
        List<Identifier> numbers = new ArrayList<>(request.numbers().size());
        for (int i = 0; i < request.numbers().size(); i++) {
            numbers.add(normalised(caller, Identifier.PHONE, request.numbers().get(i), "numbers[" + i + "]"));
        }
        return new PhoneReassignmentResults(detachments
                .detachAll(
                        caller.workspaceId(),
                        numbers,
                        request.reason() == null ? "carrier_reassigned" : request.reason(),
                        RequestContext.of(http, caller.keyId()))
                .stream()
                .map(DetachedView::of)
                .toList());
    }

    private Identifier normalised(Caller caller, String kind, String value, String field) {
        try {
            return Identifier.normalised(kind, value, workspaces.defaultRegion(caller.workspaceId()));
        } catch (InvalidInput e) {
            throw new InvalidInput(field, e.getMessage());
        }
    }
}
