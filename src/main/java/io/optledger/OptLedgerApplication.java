package io.optledger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** OptLedger: who may be messaged, on which channel, about what, and the proof. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OptLedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(OptLedgerApplication.class, args);
    }
}
