package io.optledger.dialect.altcraft;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.dialect.altcraft.AltcraftRegistry.Database;
import io.optledger.dialect.altcraft.AltcraftRegistry.Resource;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Registers the Altcraft databases and resources a workspace's Altcraft calls name; part of the native API. */
@RestController
@Tag(name = "Altcraft")
class AltcraftRegistryController {

    private final AltcraftRegistry registry;

    AltcraftRegistryController(AltcraftRegistry registry) {
        this.registry = registry;
    }

    /** The body of a database registration. */
    record DatabaseDraft(@Nullable String name) {}

    /** The body of a resource registration. */
    record ResourceDraft(
            @Nullable String name,
            @Nullable String topic,
            @Nullable List<String> channels,
            @Nullable List<String> categories,
            @Nullable String rtoken) {}

    @PutMapping("/v1/altcraft/databases/{dbId}")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Register (or rename) an Altcraft database: every Altcraft profile belongs to one")
    Database putDatabase(Caller caller, @PathVariable long dbId, @RequestBody DatabaseDraft draft) {
        return registry.putDatabase(caller.workspaceId(), dbId, draft.name());
    }

    @GetMapping("/v1/altcraft/databases")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "The registered Altcraft databases")
    List<Database> databases(Caller caller) {
        return registry.databases(caller.workspaceId());
    }

    @PutMapping("/v1/altcraft/resources/{resourceId}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Register (or replace) an Altcraft resource",
            description = "A resource is a topic (created as MARKETING, not subscribed until asked, when missing),"
                    + " the Altcraft channels it is sent on (email, sms, push, telegram_bot, whatsapp) and the"
                    + " categories a subscription may name in cats; rtoken is the resource token Altcraft's"
                    + " unsubscribe links carry (profiles/message_unsub finds the resource by it).")
    Resource putResource(Caller caller, @PathVariable long resourceId, @RequestBody ResourceDraft draft) {
        return registry.putResource(
                caller.workspaceId(),
                resourceId,
                draft.name(),
                draft.topic(),
                draft.channels(),
                draft.categories(),
                draft.rtoken());
    }

    @GetMapping("/v1/altcraft/resources")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "The registered Altcraft resources")
    List<Resource> resources(Caller caller) {
        return registry.resources(caller.workspaceId());
    }
}
