package io.optledger.console;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the console's session check in front of its pages, and only there: no other path reads its cookie. */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfiguration implements WebMvcConfigurer {

    private final ConsoleAccess access;
    private final OperatorResolver operators;

    ConsoleWebConfiguration(ConsoleAccess access, OperatorResolver operators) {
        this.access = access;
        this.operators = operators;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(access)
                .addPathPatterns("/console", "/console/**")
                .excludePathPatterns("/console/sign-in", "/console/assets/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(operators);
    }
}
