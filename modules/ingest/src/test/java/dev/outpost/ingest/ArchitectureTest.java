package dev.outpost.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest module's place in the layout: a library under the cli, on model, registry and
 * clients, whose internals are its own. The cli's {@code ArchitectureTest} checks the same with
 * every module on its classpath, where a class outside ingest could reach in.
 */
class ArchitectureTest {

  private static JavaClasses outpost;

  @BeforeAll
  static void importClasses() {
    outpost =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.outpost");
  }

  @Test
  void ingestDoesNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.outpost.cli..", "dev.outpost.topology..", "dev.outpost.embedded..", "dev.outpost.subscribers..")
        .because(
            "ingest is a library the cli calls, never the other way: throw IngestException, not the cli's UserException,"
                + " and take what the cli or the topology knows (a setting's name, max.request.size) as a parameter")
        .check(outpost);
  }

  @Test
  void onlyIngestUsesItsInternals() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.outpost.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.outpost.ingest.internal..")
        .because(
            "dev.outpost.ingest.internal is not API; use NewsFileReader, FeedFetcher, FeedWatcher and the replay classes,"
                + " or make what is needed public in dev.outpost.ingest")
        .check(outpost);
  }
}
