package io.optledger.platform;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Puts the application's pool, embedded or external, behind {@link FailFastDataSource}. The pool stays reachable by
 * unwrapping, for its metrics and health.
 */
@Component
class FailFastDataSourceWrapper implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof HikariDataSource pool ? new FailFastDataSource(pool) : bean;
    }
}
