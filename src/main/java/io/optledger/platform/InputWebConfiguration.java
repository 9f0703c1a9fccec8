package io.optledger.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link RequestChecks} in front of every handler, before authentication and any work. */
@Configuration(proxyBeanMethods = false)
class InputWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RequestChecks()).order(Ordered.HIGHEST_PRECEDENCE);
    }
}
