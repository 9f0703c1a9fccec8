package io.optledger.platform;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a request may make the service hold beyond its body's size: in the parser, nesting depth and the length of one
 * string, name, number or the whole document (every JSON body goes through a mapper with these constraints, and a body
 * that breaks one is a 400 in the endpoint's shape); in the server, the number of headers.
 */
@Configuration(proxyBeanMethods = false)
public class InputLimits {

    /** Objects and arrays within each other: no payload of ours nests more than a few levels. */
    public static final int MAX_DEPTH = 64;
    /** One string value: far beyond any field's own limit, well below the body's. */
    public static final int MAX_STRING = 64 * 1024;
    /** One field name. */
    public static final int MAX_NAME = 1024;
    /** The digits of one number: any int64 or decimal fits; a thousand-digit number is an attack on the parser. */
    public static final int MAX_NUMBER = 100;

    /** The constraints for a document of at most {@code maxDocument} bytes. */
    public static StreamReadConstraints constraints(long maxDocument) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING)
                .maxNameLength(MAX_NAME)
                .maxNumberLength(MAX_NUMBER)
                .maxDocumentLength(maxDocument)
                .build();
    }

    /** Tomcat refuses a request with more headers than this (400) before it reaches the application. */
    @Bean
    TomcatConnectorCustomizer headerCount(RequestLimits limits) {
        return connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxHeaderCount(limits.maxHeaderCount());
            }
        };
    }

    /**
     * The application's JSON mapper, as Spring Boot builds it (every customizer applied) but on a factory with these
     * constraints: Boot offers no other way to reach the factory.
     */
    @Bean
    @Scope("prototype")
    JsonMapper.Builder jsonMapperBuilder(
            RequestLimits limits, ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(constraints(limits.body().largest()))
                .build());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder;
    }
}
