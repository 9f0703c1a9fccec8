package io.optledger.dialect.altcraft;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Altcraft's part of the OpenAPI document: its group ({@code /v3/api-docs/altcraft}) and its token. OpenAPI cannot
 * declare a credential inside the body, so the scheme names the {@code token} query parameter, which Altcraft's
 * methods accept as well, and says the body's {@code token} field is the other way.
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(
        name = AltcraftOpenApi.SCHEME,
        type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.QUERY,
        paramName = "token",
        description = "The API key as Altcraft's token: the 'token' field of the JSON or XML body, or this query"
                + " parameter")
class AltcraftOpenApi {

    static final String SCHEME = "altcraftToken";

    @Bean
    GroupedOpenApi altcraftApi() {
        return GroupedOpenApi.builder()
                .group("altcraft")
                .displayName("Altcraft dialect")
                .pathsToMatch("/altcraft/**")
                .build();
    }
}
