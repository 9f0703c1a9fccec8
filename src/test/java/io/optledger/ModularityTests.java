package io.optledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.scheduling.annotation.Scheduled;

/** Keeps the module boundaries honest (no cycles, no module reaching into another's internals) and their diagram true. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(OptLedgerApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void dialectsNeverUseEachOther() {
        SlicesRuleDefinition.slices()
                .matching("io.optledger.dialect.(*)..")
                .should()
                .notDependOnEachOther()
                .check(new ClassFileImporter().importPackages("io.optledger.dialect"));
    }

    @Test
    void everyBackgroundLoopIsSupervised() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.optledger");
        // a @Scheduled job or a thread of its own would fail unseen: declare a platform.SupervisedLoop instead (the
        // embedded server's early start runs once, not in a loop, and its failure fails the start at the server bean)
        noMethods().should().beAnnotatedWith(Scheduled.class).check(main);
        noClasses()
                .that()
                .haveNameNotMatching("io\\.optledger\\.platform\\.(Supervisor|EmbeddedServerEarlyStart)(\\$.*)?")
                .should()
                .callMethod(Thread.class, "ofPlatform")
                .orShould()
                .callMethod(Thread.class, "ofVirtual")
                .orShould()
                .callConstructor(Thread.class, Runnable.class)
                .check(main);
    }

    @Test
    void theModuleDiagramInTheDocsIsCurrent() throws IOException {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder("target/modules"))
                .writeModulesAsPlantUml(Documenter.DiagramOptions.defaults());
        // the documenter writes relations in no fixed order: compare the lines, not their order
        assertThat(sortedLines(Path.of("docs/modules/components.puml")))
                .as("docs/modules/components.puml is out of date: copy target/modules/components.puml over it")
                .isEqualTo(sortedLines(Path.of("target/modules/components.puml")));
    }

    private static List<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(line -> !line.isBlank())
                .sorted()
                .toList();
    }
}
