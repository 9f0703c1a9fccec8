package io.optledger.dialect.capillary;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.RequestContext;
import io.optledger.contact.Contact;
import io.optledger.contact.Identifier;
import io.optledger.dialect.capillary.CapillarySubscriptions.Change;
import io.optledger.dialect.capillary.CapillarySubscriptions.Current;
import io.optledger.dialect.capillary.CapillarySubscriptions.Origin;
import io.optledger.dialect.capillary.CapillaryV11Mapping.Check;
import io.optledger.dialect.capillary.CapillaryV11Mapping.Checked;
import io.optledger.dialect.capillary.CapillaryV11Mapping.Resolution;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Body;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Envelope;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Item;
import io.optledger.dialect.capillary.CapillaryV11Payloads.ItemResult;
import io.optledger.dialect.capillary.CapillaryV11Payloads.ItemStatus;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Status;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Subscriptions;
import io.optledger.dialect.capillary.CapillaryV11Payloads.UpdateRequest;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Capillary v1.1 customer subscriptions: {@code POST} changes with a result per item (HTTP 200 all applied, 201 some
 * failed, 500 all failed) and {@code GET} a customer's org-level subscriptions; in JSON or XML ({@link CapillaryCodec}).
 */
@SecurityRequirement(name = CapillaryOpenApi.SCHEME)
@RestController
class CapillaryV11Controller {

    private static final String PATH = "/capillary/v1.1/customer/subscriptions";
    private static final String API = "v1.1";

    private final CapillaryCustomers customers;
    private final CapillarySubscriptions subscriptions;
    private final CapillaryTopics topics;
    private final CapillaryCodec codec;
    private final Clock clock;

    CapillaryV11Controller(
            CapillaryCustomers customers,
            CapillarySubscriptions subscriptions,
            CapillaryTopics topics,
            CapillaryCodec codec,
            Clock clock) {
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.topics = topics;
        this.codec = codec;
        this.clock = clock;
    }

    @PostMapping(
            path = PATH,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            description = "JSON, or XML: <root><subscription>…</subscription></root>",
            content = @Content(schema = @Schema(implementation = UpdateRequest.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Envelope.class)))
    ResponseEntity<byte[]> update(
            Caller caller,
            HttpServletRequest http,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format,
            @RequestBody byte[] body)
            throws HttpMediaTypeNotSupportedException {
        CapillaryFormat.requireKnown(format);
        UpdateRequest request = codec.read(http, body, UpdateRequest.class, true);
        List<Item> items = request.root() == null ? null : request.root().subscription();
        if (items == null || items.isEmpty() || items.contains(null)) {
            throw CapillaryFailure.badRequest("root.subscription: give at least one subscription object");
        }
        CapillaryFormat.requireWithinBatchLimit(items.size());
        long workspaceId = caller.workspaceId();

        // check every item on its own; a refused item fails alone
        ItemResult[] results = new ItemResult[items.size()];
        Map<Integer, Checked> checked = new LinkedHashMap<>();
        Set<Identifier> identifiers = new LinkedHashSet<>();
        Set<Long> ids = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            switch (CapillaryV11Mapping.check(items.get(i), customers, workspaceId)) {
                case Check.Failed failed -> results[i] = failed.result();
                case Check.Passed passed -> {
                    checked.put(i, passed.item());
                    identifiers.addAll(passed.item().identifiers());
                    if (passed.item().id() != null) {
                        ids.add(passed.item().id());
                    }
                }
            }
        }

        // find the customers and their addresses in one query, then apply what can be applied in one batch
        Map<Long, Map<String, String>> known = customers.identifiersOf(workspaceId, identifiers, ids);
        Map<Identifier, Long> found = new HashMap<>();
        known.forEach(
                (contactId, held) -> held.forEach((name, value) -> found.put(new Identifier(name, value), contactId)));
        Map<Integer, Long> contactOf = new HashMap<>();
        for (Map.Entry<Integer, Checked> entry : checked.entrySet()) {
            Resolution resolution = CapillaryV11Mapping.resolve(entry.getValue(), found);
            if (resolution.ambiguity() != null) {
                results[entry.getKey()] = CapillaryV11Mapping.failed(
                                items.get(entry.getKey()), CapillaryCode.INVALID_IDENTIFIER, resolution.ambiguity())
                        .result();
            } else if (resolution.contactId() != null) {
                contactOf.put(entry.getKey(), resolution.contactId());
            }
        }
        List<Integer> applied = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<Integer, Checked> entry : checked.entrySet()) {
            int index = entry.getKey();
            Long contactId = contactOf.get(index);
            if (results[index] != null) {
                continue;
            }
            if (contactId == null || !known.containsKey(contactId)) {
                results[index] = CapillaryV11Mapping.echo(
                        items.get(index),
                        null,
                        ItemStatus.of(CapillaryCode.CUSTOMER_NOT_FOUND, CapillaryCode.CUSTOMER_NOT_FOUND.message()));
                continue;
            }
            applied.add(index);
            changes.add(CapillaryV11Mapping.change(entry.getValue(), contactId));
        }
        if (!changes.isEmpty()) {
            List<ChangeOutcome> outcomes = subscriptions.apply(
                    workspaceId, RequestContext.of(http, caller.keyId()), new Origin(API, null, null, null), changes);
            for (int n = 0; n < applied.size(); n++) {
                int index = applied.get(n);
                long contactId = contactOf.get(index);
                results[index] = CapillaryV11Mapping.result(
                        checked.get(index), contactId, known.get(contactId), outcomes.get(n));
            }
        }
        return respond(http, List.of(results));
    }

    @GetMapping(
            path = PATH,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Envelope.class)))
    ResponseEntity<byte[]> get(
            Caller caller,
            HttpServletRequest http,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format,
            @RequestParam(required = false) @Nullable String mobile,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(name = "external_id", required = false) @Nullable String externalId,
            @RequestParam(required = false) @Nullable String id) {
        CapillaryFormat.requireKnown(format);
        long workspaceId = caller.workspaceId();
        Contact contact = CapillaryFormat.one(mobile, email, externalId, id)
                .map(named ->
                        customers.find(workspaceId, named.getKey(), named.getValue(), CapillaryCode.CUSTOMER_NOT_FOUND))
                .orElseThrow(() -> CapillaryFailure.of(
                        CapillaryCode.INVALID_IDENTIFIER, "give exactly one of mobile, email, external_id or id"));
        long contactId = contact.id();
        Map<CapillaryTopics.Ref, Map<CapillaryChannel, Boolean>> state = new HashMap<>();
        for (Current current : subscriptions.current(workspaceId, contact)) {
            state.computeIfAbsent(current.topic(), ref -> new HashMap<>())
                    .put(current.channel(), current.subscription().isActiveAt(clock.instant()));
        }
        List<ItemResult> results = new ArrayList<>();
        for (CapillaryChannel channel : List.of(CapillaryChannel.MOBILE, CapillaryChannel.EMAIL)) {
            if (contact.identifiers().get(channel.channel().defaultIdentifier()) == null) {
                continue;
            }
            for (Priority priority : Priority.values()) {
                CapillaryTopics.Ref ref = new CapillaryTopics.Ref(CapillaryTopics.ORG, priority);
                Boolean on = state.getOrDefault(ref, Map.of()).get(channel);
                results.add(CapillaryV11Mapping.found(
                        contactId,
                        contact.identifiers(),
                        channel,
                        priority,
                        on != null ? on : topics.defaultOptIn(workspaceId, ref)));
            }
        }
        return codec.answer(
                http,
                HttpStatus.OK,
                new Envelope(new Body(
                        new Status(true, 200, "SUCCESS", results.size(), results.size()), new Subscriptions(results))));
    }

    private ResponseEntity<byte[]> respond(HttpServletRequest http, List<ItemResult> results) {
        int succeeded =
                (int) results.stream().filter(r -> r.itemStatus().success()).count();
        HttpStatus status;
        String message;
        if (succeeded == results.size()) {
            status = HttpStatus.OK;
            message = "SUCCESS";
        } else if (succeeded > 0) {
            status = HttpStatus.CREATED;
            message = "Some requests have failed due to errors";
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            message = "All requests have failed due to errors";
        }
        return codec.answer(
                http,
                status,
                new Envelope(new Body(
                        new Status(succeeded == results.size(), status.value(), message, results.size(), succeeded),
                        new Subscriptions(results))));
    }
}
