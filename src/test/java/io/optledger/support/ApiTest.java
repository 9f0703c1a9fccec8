package io.optledger.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A test against the whole service on a real port (and a random management port) and the real database: the embedded PostgreSQL, or the server that
 * {@code OPTLEDGER_DATABASE_URL} names. Every such test shares one application context, and isolates itself by
 * creating its own workspace.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "optledger.data-dir=target/test-data",
            "management.server.port=0",
            "optledger.bootstrap-api-key=" + ApiTest.SYSTEM_KEY,
            "logging.structured.format.console=",
            // tests sign in to the console many times a second from one address
            "optledger.console.sign-ins-per-second-per-ip=1000"
        })
public @interface ApiTest {

    /** The bootstrap key of the test database: every scope, system included. */
    String SYSTEM_KEY = "olk_test_system_key_0123456789abcdef";
}
