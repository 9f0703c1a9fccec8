package io.optledger.dialect;

import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.UrlHandlerFilter;

/**
 * The path variants the vendors accept: a trailing slash on any dialect path ({@code /v1.1/customer/subscriptions/},
 * {@code /api/v1.1/subscriptions/set/}) is the path without it, so a client whose base URL ends in a slash is served,
 * not refused with a 404.
 */
@Configuration(proxyBeanMethods = false)
class DialectPaths {

    static final String[] PREFIXES = {"/capillary/**", "/altcraft/**", "/attentive/**"};

    @Bean
    FilterRegistrationBean<Filter> dialectTrailingSlash() {
        Filter filter =
                UrlHandlerFilter.trailingSlashHandler(PREFIXES).wrapRequest().build();
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        // before the body limits and the error shapes, which go by the path as the dialect knows it
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
