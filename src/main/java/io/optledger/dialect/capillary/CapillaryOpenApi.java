package io.optledger.dialect.capillary;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Capillary's part of the OpenAPI document: its group ({@code /v3/api-docs/capillary}) and its Basic scheme. */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(
        name = CapillaryOpenApi.SCHEME,
        type = SecuritySchemeType.HTTP,
        scheme = "basic",
        description = "Capillary's Basic credentials: any user name (by convention the key's id), the API key or the"
                + " lowercase hex MD5 of it as the password")
class CapillaryOpenApi {

    static final String SCHEME = "capillaryBasic";

    @Bean
    GroupedOpenApi capillaryApi() {
        return GroupedOpenApi.builder()
                .group("capillary")
                .displayName("Capillary dialect")
                .pathsToMatch("/capillary/**")
                .build();
    }
}
