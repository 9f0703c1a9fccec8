package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.preferences.Branding;
import io.optledger.preferences.Brandings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** How the workspace's public pages (preference page, unsubscribe, confirmation) look. */
@RestController
@Tag(name = "Links")
class BrandingController {

    private final Brandings brandings;

    BrandingController(Brandings brandings) {
        this.brandings = brandings;
    }

    @GetMapping("/v1/branding")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "The public pages' branding: display name, logo, accent colour, footer, privacy-policy link")
    Branding get(Caller caller) {
        return brandings.of(caller.workspaceId());
    }

    @PutMapping("/v1/branding")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Replace the public pages' branding",
            description = "Every field is optional: an absent one falls back to the default (the workspace's name, no"
                    + " logo, a dark blue accent). URLs are http(s); the accent colour is #rrggbb.")
    Branding put(Caller caller, @RequestBody Branding branding) {
        return brandings.set(caller.workspaceId(), branding);
    }
}
