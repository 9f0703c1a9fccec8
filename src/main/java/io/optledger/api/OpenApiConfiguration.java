package io.optledger.api;

import io.optledger.access.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: its header, the native API's bearer scheme and problem schema, and the answers every operation
 * may give before its handler runs. {@code /v3/api-docs} holds every API; {@code /v3/api-docs/native} the native one,
 * and each dialect declares its own group and security scheme.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM = "Problem";
    private static final String NATIVE_PATHS = "/v1/";
    /** The native API's public, unauthenticated part: the ledger's signing keys. */
    private static final String WELL_KNOWN_PATHS = "/.well-known/";

    static {
        // resolved from the credentials by access.CallerResolver, never sent as a parameter
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI optLedgerOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OptLedger")
                        .version("v1")
                        .description("Who may be messaged, on which channel, about what, and the proof. The native"
                                + " API under /v1; the Capillary, Altcraft and Attentive dialects under their own"
                                + " prefixes, each with its vendor's authentication and error shape. Ids of contacts,"
                                + " subscriptions and messages are opaque numbers below 2^53 (exact in JavaScript), in"
                                + " no order, that tell nothing of how many others any workspace creates.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("an API key: Authorization: Bearer <key>")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    GroupedOpenApi nativeApi() {
        return GroupedOpenApi.builder()
                .group("native")
                .displayName("Native API")
                .pathsToMatch(NATIVE_PATHS + "**", WELL_KNOWN_PATHS + "**")
                .build();
    }

    /**
     * Lists the answers any operation may give before its handler runs: 406 and 503 always, 413 and 415 where it
     * takes a body. The native API's are problems; a dialect's are in its vendor's error shape, described there.
     */
    @Bean
    GlobalOpenApiCustomizer errorAnswers() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            // here, not on the OpenAPI bean: springdoc rebuilds the schemas from the handlers' types
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperations().forEach(operation -> {
                        @Nullable Content content = isNative(path) ? problemContent() : null;
                        if (operation.getRequestBody() != null) {
                            add(operation, "413", "The body is larger than this operation accepts", content);
                            add(operation, "415", "The body's Content-Type is not one this operation reads", content);
                        }
                        add(operation, "406", "The Accept header names no type this operation answers in", content);
                        add(
                                operation,
                                "503",
                                "Overloaded or the database unreachable: retry after Retry-After",
                                content);
                    }));
        };
    }

    private static boolean isNative(String path) {
        return path.startsWith(NATIVE_PATHS) || path.startsWith(WELL_KNOWN_PATHS);
    }

    private static void add(Operation operation, String status, String description, @Nullable Content content) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation
                .getResponses()
                .putIfAbsent(status, new ApiResponse().description(description).content(content));
    }

    private static Content problemContent() {
        return new Content()
                .addMediaType(
                        "application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
    }

    @SuppressWarnings("rawtypes")
    private static Schema<?> problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri").description("the kind of error, stable"));
        properties.put("title", new StringSchema());
        properties.put("status", new IntegerSchema());
        properties.put("detail", new StringSchema().description("what was wrong, for a person"));
        properties.put("instance", new StringSchema().format("uri"));
        return new ObjectSchema().description("An RFC 9457 problem").properties(properties);
    }
}
