package io.optledger.proof;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.proof.verifier.VerifyCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A proof the service issued, kept as it was: a change to the canonical forms, the signed text or the checks that
 * would make an old proof fail shows here. Refresh it (from target/fresh-proof.json, which ProofTests writes) only
 * with a new format version and a verifier that still reads this one.
 */
class ProofFixtureTests {

    @Test
    void aProofIssuedBeforeStillVerifiesWithNoServiceAtAll() throws URISyntaxException {
        Path fixture = Path.of(getClass().getResource("/proof/fixture.json").toURI());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifyCommand.run(
                new String[] {"verify", fixture.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("VALID: ").contains("4 events");
        assertThat(code).isZero();
    }
}
