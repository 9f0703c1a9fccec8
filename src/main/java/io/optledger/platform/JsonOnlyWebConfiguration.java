package io.optledger.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Keeps Spring MVC to JSON. Jackson's XML module is on the classpath for the dialects, which read and write their XML
 * themselves, and a YAML module comes with the libraries' Jackson 2 (OpenAPI's): Spring would add a converter for
 * each, so that every JSON API answered XML or YAML to an {@code Accept} that prefers it and read YAML bodies with a
 * mapper none of the API's input rules are set on. Each converter is also asked, for every answer, whether it could
 * write it.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyWebConfiguration implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(JsonOnlyWebConfiguration::xmlOrYaml));
    }

    private static boolean xmlOrYaml(HttpMessageConverter<?> converter) {
        return converter.getSupportedMediaTypes().stream()
                .filter(type -> !type.isWildcardType() && !type.isWildcardSubtype())
                .anyMatch(type -> type.getSubtype().equals("xml")
                        || type.getSubtype().endsWith("+xml")
                        || MediaType.APPLICATION_YAML.includes(type));
    }
}
