package io.optledger.dialect.altcraft;

import io.optledger.access.ApiKeys;
import io.optledger.access.Caller;
import io.optledger.access.Scope;
import io.optledger.consent.RequestContext;
import io.optledger.dialect.altcraft.AltcraftCodec.Format;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every Altcraft method: {@code POST /altcraft/api/v1.1/<group>/<method>}, the body JSON or XML, the API token in the
 * body or the {@code token} query parameter, the answer in the requested {@code format}.
 */
@SecurityRequirement(name = AltcraftOpenApi.SCHEME)
@RestController
class AltcraftController {

    static final String FORMAT_ATTRIBUTE = AltcraftController.class.getName() + ".format";
    private static final Set<String> READS = Set.of(
            "subscriptions/get",
            "subscriptions/list",
            "subscriptions/list_all",
            "subscribers/history_get",
            "subscribers/history_get_all",
            "profiles/get");

    private final AltcraftCodec codec;
    private final ApiKeys apiKeys;
    private final AltcraftSubscriptions subscriptions;
    private final AltcraftSuspendAll suspensions;
    private final AltcraftSubscriptionReads reads;
    private final AltcraftProfiles profiles;
    private final AltcraftRegistry registry;
    private final AltcraftUnsubscribes unsubscribes;
    private final AltcraftActionHistory history;
    private final AltcraftErasure erasure;

    AltcraftController(
            AltcraftCodec codec,
            ApiKeys apiKeys,
            AltcraftSubscriptions subscriptions,
            AltcraftSuspendAll suspensions,
            AltcraftSubscriptionReads reads,
            AltcraftProfiles profiles,
            AltcraftRegistry registry,
            AltcraftUnsubscribes unsubscribes,
            AltcraftActionHistory history,
            AltcraftErasure erasure) {
        this.codec = codec;
        this.apiKeys = apiKeys;
        this.subscriptions = subscriptions;
        this.suspensions = suspensions;
        this.reads = reads;
        this.profiles = profiles;
        this.registry = registry;
        this.unsubscribes = unsubscribes;
        this.history = history;
        this.erasure = erasure;
    }

    @PostMapping(
            path = "/altcraft/api/v1.1/{group}/{method}",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    ResponseEntity<byte[]> call(
            @PathVariable String group,
            @PathVariable String method,
            @RequestParam(name = "format", required = false) @Nullable String formatParameter,
            // declared as the security scheme, not as a parameter of its own
            @Parameter(hidden = true) @RequestParam(name = "token", required = false) @Nullable String tokenParameter,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletRequest http) {
        if (formatParameter == null) {
            // the parameter's name in any case too (FORMAT=xml)
            formatParameter = http.getParameterMap().entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase("format") && entry.getValue().length > 0)
                    .map(entry -> entry.getValue()[0])
                    .findFirst()
                    .orElse(null);
        }
        // until the body says otherwise, errors answer in the format the query asked for
        Format bodyFormat = AltcraftCodec.bodyFormat(http.getHeader(HttpHeaders.CONTENT_TYPE), formatParameter);
        http.setAttribute(FORMAT_ATTRIBUTE, formatParameter != null ? Format.of(formatParameter) : bodyFormat);
        AltcraftRequest request =
                new AltcraftRequest(codec.read(body == null ? new byte[0] : body, bodyFormat), bodyFormat);
        // the answer is in the format asked for, in the query or the body; otherwise in the body's own
        String format = formatParameter != null ? formatParameter : request.text("format");
        request = new AltcraftRequest(request.fields(), format == null ? bodyFormat : Format.of(format));
        http.setAttribute(FORMAT_ATTRIBUTE, request.format());

        String name = group + "/" + method;
        Caller caller = authenticate(tokenParameter != null ? tokenParameter : request.text("token"));
        Scope needed = READS.contains(name) ? Scope.SUBSCRIPTIONS_READ : Scope.SUBSCRIPTIONS_WRITE;
        if (!caller.may(needed)) {
            throw AltcraftError.FORBIDDEN.failure("this token lacks the scope '" + needed.value() + "'");
        }
        long workspaceId = caller.workspaceId();
        RequestContext context = RequestContext.of(http, caller.keyId());
        if (name.equals("profiles/message_unsub")) {
            // Altcraft answers this one's profile_id beside error, not in data
            return codec.successBeside(request.format(), unsubscribes.messageUnsub(workspaceId, context, request));
        }
        Object data = switch (name) {
            case "subscriptions/set" -> subscriptions.set(workspaceId, context, request);
            case "subscriptions/get" -> reads.get(workspaceId, request);
            case "subscriptions/list" -> reads.list(workspaceId, request);
            case "subscriptions/list_all" -> reads.listAll(workspaceId, request);
            case "subscriptions/delete" -> subscriptions.delete(workspaceId, context, request, true);
            case "subscriptions/undelete" -> subscriptions.delete(workspaceId, context, request, false);
            case "subscriptions/suspend_all" -> suspensions.suspendAll(workspaceId, context, request, true);
            case "subscriptions/unsuspend_all" -> suspensions.suspendAll(workspaceId, context, request, false);
            case "subscribers/history_get" -> reads.history(workspaceId, request);
            case "subscribers/history_get_all" -> history.historyGetAll(workspaceId, request);
            case "profiles/add" -> addProfile(workspaceId, request);
            case "profiles/update" -> updateProfile(workspaceId, request);
            case "profiles/delete" -> {
                long dbId = registry.database(workspaceId, request.requiredId("db_id"))
                        .id();
                erasure.erase(workspaceId, profiles.match(workspaceId, dbId, request), context);
                yield null;
            }
            case "profiles/get" -> {
                long dbId = registry.database(workspaceId, request.requiredId("db_id"))
                        .id();
                yield AltcraftProfiles.view(profiles.resolve(workspaceId, dbId, request.requiredText("profile_id")));
            }
            default -> throw AltcraftError.UNKNOWN_METHOD.failure(name);
        };
        return codec.success(request.format(), data);
    }

    private Map<String, Object> addProfile(long workspaceId, AltcraftRequest request) {
        long dbId = registry.database(workspaceId, request.requiredId("db_id")).id();
        Map<String, Object> data = request.object("data");
        if (data == null) {
            throw AltcraftError.INVALID_FIELD.failure("data is required: the profile's fields, with email or phone");
        }
        var registration = profiles.add(workspaceId, dbId, data);
        return Map.of("profile_id", Long.toString(registration.contact().id()), "is_new", registration.created());
    }

    private Map<String, Object> updateProfile(long workspaceId, AltcraftRequest request) {
        long dbId = registry.database(workspaceId, request.requiredId("db_id")).id();
        var profile = profiles.match(workspaceId, dbId, request);
        Map<String, Object> data = request.object("data");
        if (data == null || data.isEmpty()) {
            throw AltcraftError.INVALID_FIELD.failure("data is required: the profile's fields to update");
        }
        return Map.of(
                "profile_id",
                Long.toString(profiles.update(workspaceId, profile, data).id()));
    }

    private Caller authenticate(@Nullable String token) {
        if (token == null) {
            throw AltcraftError.INVALID_TOKEN.failure("give the API token as 'token' in the body or the query");
        }
        return apiKeys.authenticate(token)
                .orElseThrow(() -> AltcraftError.INVALID_TOKEN.failure("unknown or revoked token"));
    }
}
