package io.optledger.preferences;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;

/** The public pages' language: the link's, else the browser's among those the pages speak. */
@Configuration(proxyBeanMethods = false)
class PagesConfiguration {

    @Bean
    LocaleResolver localeResolver() {
        return new PageLocales();
    }
}
