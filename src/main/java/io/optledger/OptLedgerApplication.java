package io.optledger;

import io.optledger.backup.BackupCommands;
import io.optledger.platform.EmbeddedServerEarlyStart;
import io.optledger.proof.verifier.VerifyCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** OptLedger: who may be messaged, on which channel, about what, and the proof. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OptLedgerApplication {

    public static void main(String[] args) {
        // before Spring: the verifier needs no database, no network and no configuration
        if (VerifyCommand.isCommand(args)) {
            System.exit(VerifyCommand.run(args, System.out));
        }
        if (BackupCommands.isCommand(args)) {
            System.exit(BackupCommands.run(args));
        }
        SpringApplication application = new SpringApplication(OptLedgerApplication.class);
        application.addInitializers(new EmbeddedServerEarlyStart());
        application.run(args);
    }
}
