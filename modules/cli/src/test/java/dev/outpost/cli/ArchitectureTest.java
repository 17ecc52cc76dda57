package dev.outpost.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layout as rules: dependencies point one way (schemas, model, registry, embedded,
 * cli), and only the CLI has a {@code main} or ends the JVM. The cli module's test classpath sees
 * every module, so the rules run here.
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
  void everyModuleIsImported() {
    org.assertj.core.api.Assertions.assertThat(outpost.stream().map(c -> c.getPackageName()))
        .anyMatch(p -> p.startsWith("dev.outpost.model"))
        .anyMatch(p -> p.startsWith("dev.outpost.registry"))
        .anyMatch(p -> p.startsWith("dev.outpost.classifier"))
        .anyMatch(p -> p.startsWith("dev.outpost.clients"))
        .anyMatch(p -> p.startsWith("dev.outpost.embedded"))
        .anyMatch(p -> p.startsWith("dev.outpost.topology"))
        .anyMatch(p -> p.startsWith("dev.outpost.ingest"))
        .anyMatch(p -> p.startsWith("dev.outpost.subscribers"))
        .anyMatch(p -> p.startsWith("dev.outpost.ops"))
        .anyMatch(p -> p.startsWith("dev.outpost.cli"))
        .anyMatch(p -> p.startsWith("dev.outpost.bench"));
  }

  @Test
  void nothingDependsOnTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.outpost.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.outpost.cli..")
        .because("the cli parses flags, calls a library and prints; a library throws its own exceptions and takes what it needs as parameters")
        .check(outpost);
  }

  @Test
  void theCliNamesTheEmbeddedStackInOneClass() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.cli..")
        .and()
        .doNotHaveFullyQualifiedName("dev.outpost.cli.internal.EmbeddedLocalStack")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.outpost.embedded..")
        .because("a production installation leaves the broker out, and LocalStack says so plainly; reach it through LocalStack, or put the code in modules/bench")
        .check(outpost);
  }

  @Test
  void modelStaysFreeOfKafka() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "dev.outpost.registry..", "dev.outpost.embedded..", "dev.outpost.cli..")
        .because("the contract must be usable by any producer or consumer; Kafka types belong in registry and later modules")
        .check(outpost);
  }

  @Test
  void classifierIsPureJava() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.classifier..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "org.apache.avro..", "dev.outpost.model..", "dev.outpost.registry..")
        .because("the classifier maps plain strings to plain records; adapt Avro and Kafka types in the topology instead")
        .check(outpost);
  }

  @Test
  void registryDoesNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.registry..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.outpost.embedded..", "dev.outpost.cli..")
        .because("dependencies point one way: model -> registry -> embedded -> cli; pass what you need in instead")
        .check(outpost);
  }

  @Test
  void clientsDependOnKafkaClientsAlone() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.clients..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.outpost.model..",
            "dev.outpost.registry..",
            "dev.outpost.classifier..",
            "dev.outpost.embedded..",
            "dev.outpost.topology..",
            "dev.outpost.subscribers..",
            "dev.outpost.ops..",
            "dev.outpost.cli..",
            "org.apache.kafka.streams..",
            "org.apache.avro..")
        .because("clients is the shared Kafka plumbing under ingest, subscribers, ops and cli; take serializers and names as parameters instead")
        .check(outpost);
  }

  @Test
  void noOneUsesTheClientsInternals() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.outpost.clients..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.outpost.clients.internal..")
        .because("dev.outpost.clients.internal is not API; use TopicReader, ReadCursor, ConsumerGroupLag and PipelineAdmin")
        .check(outpost);
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
  void noOneUsesTheIngestInternals() {
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

  @Test
  void embeddedDoesNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.embedded..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.outpost.cli..")
        .because("the embedded stack is a library the CLI and the tests use, never the other way")
        .check(outpost);
  }

  @Test
  void topologyDoesNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.topology..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.outpost.embedded..", "dev.outpost.cli..")
        .because("the topology runs the same on any cluster; the CLI wires it to one")
        .check(outpost);
  }

  @Test
  void onlyTheCliAndTheBenchmarksUseTheTopology() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.outpost.model..",
            "dev.outpost.registry..",
            "dev.outpost.classifier..",
            "dev.outpost.embedded..",
            "dev.outpost.subscribers..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.outpost.topology..")
        .because("dependencies point one way: model, registry and classifier -> topology -> cli")
        .check(outpost);
  }

  @Test
  void subscribersNeverUseTheTopology() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.subscribers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.outpost.topology..", "dev.outpost.classifier..", "dev.outpost.embedded..", "dev.outpost.cli..")
        .because("subscribers read the alert topics' contract, not the pipeline that writes them")
        .check(outpost);
  }

  @Test
  void theOpsServerStandsAlone() {
    noClasses()
        .that()
        .resideInAPackage("dev.outpost.ops..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.outpost.topology..", "dev.outpost.embedded..", "dev.outpost.cli..")
        .because("each module adds its own routes to the ops server; the server knows none of them")
        .check(outpost);
  }

  @Test
  void onlyTheCliHasAMain() {
    methods()
        .that()
        .haveName("main")
        .and()
        .areStatic()
        .should()
        .beDeclaredInClassesThat()
        .resideInAPackage("dev.outpost.cli..")
        .because("there is one entry point, 'outpost'; add a subcommand instead of a main")
        .check(outpost);
  }

  @Test
  void onlyTheCliMainEndsTheJvm() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Outpost.class.getName())
        .should()
        .callMethod(System.class, "exit", int.class)
        .because("library code returns or throws; only Outpost.main turns an exit code into System.exit")
        .check(outpost);
  }
}
