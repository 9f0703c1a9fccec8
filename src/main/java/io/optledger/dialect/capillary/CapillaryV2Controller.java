package io.optledger.dialect.capillary;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.RequestContext;
import io.optledger.consent.SubscriptionKey;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.contact.Contact;
import io.optledger.dialect.capillary.CapillarySubscriptions.Change;
import io.optledger.dialect.capillary.CapillarySubscriptions.Current;
import io.optledger.dialect.capillary.CapillarySubscriptions.Origin;
import io.optledger.dialect.capillary.CapillaryV2Mapping.Check;
import io.optledger.dialect.capillary.CapillaryV2Payloads.ChangeLogResponse;
import io.optledger.dialect.capillary.CapillaryV2Payloads.ErrorResponse;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Item;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Message;
import io.optledger.dialect.capillary.CapillaryV2Payloads.SubscriptionsResponse;
import io.optledger.dialect.capillary.CapillaryV2Payloads.UpdateRequest;
import io.optledger.dialect.capillary.CapillaryV2Payloads.UpdateResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Capillary v2 customer subscriptions, by customer id or by identifier lookup: updates echoed with a warning per
 * refused item (HTTP 500 when every item is refused), current state, and the status change log from the ledger.
 */
@SecurityRequirement(name = CapillaryOpenApi.SCHEME)
@RestController
class CapillaryV2Controller {

    private static final String BY_ID = "/capillary/v2/customers/{userId}/subscriptions";
    private static final String BY_LOOKUP = "/capillary/v2/customers/lookup/subscriptions";
    private static final String API = "v2";
    private static final String ALL_FAILED = "All requests have failed due to errors";

    private final CapillaryCustomers customers;
    private final CapillarySubscriptions subscriptions;
    private final CapillaryCodec codec;
    private final Clock clock;

    CapillaryV2Controller(
            CapillaryCustomers customers, CapillarySubscriptions subscriptions, CapillaryCodec codec, Clock clock) {
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.codec = codec;
        this.clock = clock;
    }

    @PostMapping(
            path = BY_ID,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            description = "JSON, or XML: <root>…<subscriptions><subscription>…</subscription></subscriptions></root>",
            content = @Content(schema = @Schema(implementation = UpdateRequest.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UpdateResponse.class)))
    ResponseEntity<byte[]> update(
            Caller caller,
            HttpServletRequest http,
            @PathVariable long userId,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format,
            @RequestBody byte[] body)
            throws HttpMediaTypeNotSupportedException {
        CapillaryFormat.requireKnown(format);
        UpdateRequest request = codec.read(http, body, UpdateRequest.class, false);
        long contactId = customers
                .get(caller.workspaceId(), userId, CapillaryCode.CUSTOMER_NOT_FOUND)
                .id();
        return apply(caller, http, contactId, null, request);
    }

    @PostMapping(
            path = BY_LOOKUP,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            description = "JSON, or XML: <root>…<subscriptions><subscription>…</subscription></subscriptions></root>",
            content = @Content(schema = @Schema(implementation = UpdateRequest.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UpdateResponse.class)))
    ResponseEntity<byte[]> updateByLookup(
            Caller caller,
            HttpServletRequest http,
            @RequestParam String identifierName,
            @RequestParam String identifierValue,
            @RequestParam(required = false) @Nullable String source,
            @RequestParam(required = false) @Nullable String accountId,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format,
            @RequestBody byte[] body)
            throws HttpMediaTypeNotSupportedException {
        CapillaryFormat.requireKnown(format);
        UpdateRequest request = codec.read(http, body, UpdateRequest.class, false);
        long contactId = customers
                .find(caller.workspaceId(), identifierName, identifierValue, CapillaryCode.CUSTOMER_NOT_FOUND_BY_LOOKUP)
                .id();
        return apply(caller, http, contactId, accountId, request);
    }

    @GetMapping(
            path = BY_ID,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @ApiResponse(
            responseCode = "200",
            content = @Content(schema = @Schema(implementation = SubscriptionsResponse.class)))
    ResponseEntity<byte[]> get(
            Caller caller,
            HttpServletRequest http,
            @PathVariable long userId,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format) {
        CapillaryFormat.requireKnown(format);
        return codec.answer(
                http,
                HttpStatus.OK,
                current(
                        caller.workspaceId(),
                        customers.get(caller.workspaceId(), userId, CapillaryCode.CUSTOMER_NOT_FOUND)));
    }

    @GetMapping(
            path = BY_LOOKUP,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @ApiResponse(
            responseCode = "200",
            content = @Content(schema = @Schema(implementation = SubscriptionsResponse.class)))
    ResponseEntity<byte[]> getByLookup(
            Caller caller,
            HttpServletRequest http,
            @RequestParam String identifierName,
            @RequestParam String identifierValue,
            @RequestParam(required = false) @Nullable String source,
            @RequestParam(required = false) @Nullable String accountId,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format) {
        CapillaryFormat.requireKnown(format);
        long workspaceId = caller.workspaceId();
        return codec.answer(
                http,
                HttpStatus.OK,
                current(
                        workspaceId,
                        customers.find(
                                workspaceId,
                                identifierName,
                                identifierValue,
                                CapillaryCode.CUSTOMER_NOT_FOUND_BY_LOOKUP)));
    }

    /** Capillary documents this log both under v2 and without a version. */
    @GetMapping(
            path = {
                "/capillary/customers/{userId}/subscriptionStatusChangeLog",
                "/capillary/v2/customers/{userId}/subscriptionStatusChangeLog"
            },
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ChangeLogResponse.class)))
    ResponseEntity<byte[]> changeLog(
            Caller caller,
            HttpServletRequest http,
            @PathVariable long userId,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format) {
        CapillaryFormat.requireKnown(format);
        long contactId = customers
                .get(caller.workspaceId(), userId, CapillaryCode.CUSTOMER_NOT_FOUND)
                .id();
        return codec.answer(
                http,
                HttpStatus.OK,
                new ChangeLogResponse(
                        subscriptions.statusChanges(caller.workspaceId(), contactId).stream()
                                .map(CapillaryV2Mapping::logEntry)
                                .toList(),
                        List.of(),
                        List.of()));
    }

    private ResponseEntity<byte[]> apply(
            Caller caller, HttpServletRequest http, long contactId, @Nullable String accountId, UpdateRequest request) {
        List<Item> items = request.subscriptions();
        if (items == null || items.isEmpty() || items.contains(null)) {
            throw CapillaryFailure.badRequest("subscriptions: give at least one subscription object");
        }
        CapillaryFormat.requireWithinBatchLimit(items.size());
        // warnings and echoes by item, so both keep the request's order
        Message[] warningOf = new Message[items.size()];
        Item[] echoOf = new Item[items.size()];
        List<Integer> passed = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            switch (CapillaryV2Mapping.check(items.get(i), contactId, accountId)) {
                case Check.Failed failed -> warningOf[i] = failed.warning();
                case Check.Passed checked -> {
                    passed.add(i);
                    changes.add(checked.change());
                    echoOf[i] = checked.echo();
                }
            }
        }
        if (!changes.isEmpty()) {
            List<ChangeOutcome> outcomes = subscriptions.apply(
                    caller.workspaceId(),
                    RequestContext.of(http, caller.keyId()),
                    new Origin(API, request.reason(), request.campaignId(), request.communicationId()),
                    changes);
            for (int n = 0; n < outcomes.size(); n++) {
                int i = passed.get(n);
                warningOf[i] = CapillaryV2Mapping.warning(echoOf[i], outcomes.get(n));
                if (warningOf[i] != null) {
                    echoOf[i] = null;
                }
            }
        }
        List<Message> warnings =
                Arrays.stream(warningOf).filter(Objects::nonNull).toList();
        List<Item> applied = Arrays.stream(echoOf).filter(Objects::nonNull).toList();
        if (applied.isEmpty()) {
            return codec.answer(
                    http,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    ErrorResponse.of(warnings, List.of(new Message(false, ALL_FAILED, 500))));
        }
        return codec.answer(
                http,
                HttpStatus.OK,
                new UpdateResponse(
                        request.scope(),
                        applied,
                        request.campaignId(),
                        request.communicationId(),
                        request.reason(),
                        warnings));
    }

    private SubscriptionsResponse current(long workspaceId, Contact contact) {
        Map<SubscriptionKey, ConsentEvent> lastChanges = subscriptions.lastSettingEvents(workspaceId, contact.id());
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        for (Current current : subscriptions.current(workspaceId, contact)) {
            items.add(CapillaryV2Mapping.item(
                    current, lastChanges.get(current.subscription().key()), now));
        }
        return new SubscriptionsResponse(contact.id(), items, List.of());
    }
}
