package io.optledger.transfer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How imports are worked on.
 *
 * @param chunk rows applied in one transaction (and one consent batch where they share an IP and user agent): at most
 *     {@link io.optledger.consent.ConsentBatch#MAX_COMMANDS}
 * @param lease how long a node holds a job it works on without renewing it; a node that dies is taken over after it
 * @param pollInterval how often an idle node looks for a job
 * @param passBudget how long one pass works on a job before handing it back for the next pass (of any node)
 */
@ConfigurationProperties("optledger.imports")
public record ImportSettings(
        @DefaultValue("1000") int chunk,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("20s") Duration passBudget) {

    public ImportSettings {
        if (chunk < 1 || chunk > io.optledger.consent.ConsentBatch.MAX_COMMANDS) {
            throw new IllegalArgumentException("optledger.imports.chunk is 1 to "
                    + io.optledger.consent.ConsentBatch.MAX_COMMANDS + ", not " + chunk);
        }
        if (passBudget.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("optledger.imports.pass-budget must be shorter than the lease");
        }
    }
}
