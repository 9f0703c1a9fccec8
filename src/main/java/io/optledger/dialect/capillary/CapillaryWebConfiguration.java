package io.optledger.dialect.capillary;

import io.optledger.access.BasicAuthentication;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts Basic authentication (key, or MD5 of the key, as the password) in front of every Capillary path. */
@Configuration(proxyBeanMethods = false)
class CapillaryWebConfiguration implements WebMvcConfigurer {

    private final BasicAuthentication basic;

    CapillaryWebConfiguration(BasicAuthentication basic) {
        this.basic = basic;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(basic).addPathPatterns("/capillary/**");
    }
}
