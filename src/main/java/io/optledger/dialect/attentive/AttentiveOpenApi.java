package io.optledger.dialect.attentive;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Attentive's part of the OpenAPI document: its group ({@code /v3/api-docs/attentive}), its Bearer scheme, and the 429
 * of its rate limits.
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(
        name = AttentiveOpenApi.SCHEME,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "The API key as Attentive's token: Authorization: Bearer <key>")
class AttentiveOpenApi {

    static final String SCHEME = "attentiveBearer";

    @Bean
    GroupedOpenApi attentiveApi() {
        return GroupedOpenApi.builder()
                .group("attentive")
                .displayName("Attentive dialect")
                .pathsToMatch("/attentive/**")
                .build();
    }

    @Bean
    GlobalOperationCustomizer attentiveRateLimits() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(RateLimited.class)) {
                if (operation.getResponses() == null) {
                    operation.setResponses(new ApiResponses());
                }
                operation
                        .getResponses()
                        .addApiResponse(
                                "429",
                                new ApiResponse()
                                        .description("Over the key's requests a second for this endpoint: retry"
                                                + " after Retry-After"));
            }
            return operation;
        };
    }
}
