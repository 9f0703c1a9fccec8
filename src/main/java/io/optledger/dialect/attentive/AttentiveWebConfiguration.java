package io.optledger.dialect.attentive;

import io.optledger.access.BearerAuthentication;
import io.optledger.access.Caller;
import io.optledger.access.CallerResolver;
import io.optledger.access.RateLimits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bearer authentication, then Attentive's per-key rate limits, in front of every Attentive path. Each answer says
 * {@code x-ratelimit-limit} and {@code x-ratelimit-remaining}; over the limit is a 429 with {@code Retry-After}.
 */
@Configuration(proxyBeanMethods = false)
class AttentiveWebConfiguration implements WebMvcConfigurer {

    private final BearerAuthentication bearer;
    private final RateLimits rateLimits;
    private final int subscribe;
    private final int unsubscribe;
    private final int other;

    AttentiveWebConfiguration(
            BearerAuthentication bearer,
            RateLimits rateLimits,
            @Value("${optledger.attentive.rate-limit.subscribe:10}") int subscribe,
            @Value("${optledger.attentive.rate-limit.unsubscribe:5}") int unsubscribe,
            @Value("${optledger.attentive.rate-limit.other:150}") int other) {
        this.bearer = bearer;
        this.rateLimits = rateLimits;
        this.subscribe = subscribe;
        this.unsubscribe = unsubscribe;
        this.other = other;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(bearer).addPathPatterns("/attentive/**");
        registry.addInterceptor(new RateLimitInterceptor()).addPathPatterns("/attentive/**");
    }

    private final class RateLimitInterceptor implements HandlerInterceptor {

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            Caller caller = CallerResolver.of(request);
            if (!(handler instanceof HandlerMethod method) || caller == null) {
                return true;
            }
            RateLimited limited = method.getMethodAnnotation(RateLimited.class);
            RateLimited.Bucket bucket = limited == null ? RateLimited.Bucket.OTHER : limited.value();
            int perSecond = switch (bucket) {
                case SUBSCRIBE -> subscribe;
                case UNSUBSCRIBE -> unsubscribe;
                case OTHER -> other;
            };
            RateLimits.Decision decision = rateLimits.take(caller.keyId(), "attentive." + bucket, perSecond);
            response.setHeader("x-ratelimit-limit", Integer.toString(decision.limit()));
            response.setHeader("x-ratelimit-remaining", Integer.toString(decision.remaining()));
            if (!decision.allowed()) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
                throw new AttentiveFailure(
                        HttpStatus.TOO_MANY_REQUESTS, "over " + perSecond + " requests a second for this key; retry");
            }
            return true;
        }
    }
}
