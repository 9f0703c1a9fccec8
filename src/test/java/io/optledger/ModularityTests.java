package io.optledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Keeps the module boundaries honest: no cycles, and no module reaching into another's internals. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(OptLedgerApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesTheModuleDiagramIntoTheDocs() throws IOException {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder("docs/modules"))
                .writeModulesAsPlantUml(Documenter.DiagramOptions.defaults());
        assertThat(Files.readString(Path.of("docs/modules/components.puml")))
                .contains("Consent", "Access", "Contact", "Topic", "Eligibility", "Api");
    }
}
