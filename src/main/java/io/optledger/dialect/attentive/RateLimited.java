package io.optledger.dialect.attentive;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rate-limit bucket an Attentive endpoint draws from, per API key. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface RateLimited {

    Bucket value();

    /** Attentive's limits: subscribe 10/s, unsubscribe 5/s, others 150/s (each configurable). */
    enum Bucket {
        SUBSCRIBE,
        UNSUBSCRIBE,
        OTHER
    }
}
