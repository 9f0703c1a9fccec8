package io.optledger.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.xml.JacksonXmlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Keeps Spring MVC from answering XML: Jackson's XML module is on the classpath for the Altcraft dialect, which reads
 * and writes its XML itself, and would otherwise make every JSON API answer XML to an {@code Accept} that prefers it.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyWebConfiguration implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(
                converters -> converters.removeIf(converter -> converter instanceof JacksonXmlHttpMessageConverter));
    }
}
