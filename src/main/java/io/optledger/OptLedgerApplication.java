package io.optledger;

import io.optledger.backup.BackupCommands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** OptLedger: who may be messaged, on which channel, about what, and the proof. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OptLedgerApplication {

    public static void main(String[] args) {
        if (BackupCommands.isCommand(args)) {
            System.exit(BackupCommands.run(args));
        }
        SpringApplication.run(OptLedgerApplication.class, args);
    }
}
