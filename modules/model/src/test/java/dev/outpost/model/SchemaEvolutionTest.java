package dev.outpost.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract in {@code schemas/} may only evolve BACKWARD compatibly: a consumer on the current
 * schemas must read every record written with any released version. Released versions are kept,
 * fully resolved, under {@code schemas/history/<Name>/v<N>.avsc}.
 */
class SchemaEvolutionTest {

  private static final Path SCHEMAS =
      Path.of(System.getProperty("outpost.schemas.dir", "../../schemas"));

  /** Parses the current contract, shared types first, as the code generator does. */
  private static List<Schema> currentSchemas() throws IOException {
    final Schema.Parser parser = new Schema.Parser();
    final List<Schema> schemas = new ArrayList<>();
    for (final String name :
        List.of("Category", "EvidenceSpan", "NewsItem", "Label", "ClassifiedItem", "Alert", "Subscription", "Story", "SurgeAlert")) {
      schemas.add(parser.parse(SCHEMAS.resolve(name + ".avsc").toFile()));
    }
    return schemas;
  }

  static Stream<Schema> current() throws IOException {
    return currentSchemas().stream();
  }

  @Test
  void everySchemaFileIsParsedByThisTest() throws IOException {
    try (Stream<Path> files = Files.list(SCHEMAS)) {
      final List<String> onDisk =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".avsc"))
              .map(n -> n.substring(0, n.length() - ".avsc".length()))
              .sorted()
              .toList();
      final List<String> checked = currentSchemas().stream().map(Schema::getName).sorted().toList();
      assertThat(onDisk).as("schemas/*.avsc must all be listed in this test").isEqualTo(checked);
    }
  }

  @ParameterizedTest(name = "{0} is BACKWARD compatible with its released versions")
  @MethodSource("current")
  void currentReadsEveryReleasedVersion(final Schema current) throws IOException {
    final List<Path> released = releasedVersions(current.getName());
    assertThat(released)
        .as("schemas/history/%s/ must hold at least its first released version", current.getName())
        .isNotEmpty();
    for (final Path version : released) {
      final Schema old = new Schema.Parser().parse(version.toFile());
      assertThat(incompatibilities(current, old))
          .as("%s cannot read data written with %s", current.getName(), version)
          .isEmpty();
    }
  }

  @Test
  void theCheckRejectsARequiredFieldWithoutDefault() throws IOException {
    final Schema released = new Schema.Parser().parse(releasedVersions("NewsItem").get(0).toFile());
    final String broken =
        released
            .toString()
            .replace(
                "\"fields\":[",
                "\"fields\":[{\"name\":\"severity\",\"type\":\"int\"},");
    final Schema withRequiredField = new Schema.Parser().parse(broken);

    assertThat(incompatibilities(withRequiredField, released))
        .anySatisfy(message -> assertThat(message).contains("severity"));
  }

  @Test
  void generatedClassesMatchTheContract() throws IOException {
    final List<Schema> generated =
        List.of(
            Category.getClassSchema(),
            EvidenceSpan.getClassSchema(),
            NewsItem.getClassSchema(),
            Label.getClassSchema(),
            ClassifiedItem.getClassSchema(),
            Alert.getClassSchema(),
            Subscription.getClassSchema(),
            Story.getClassSchema(),
            SurgeAlert.getClassSchema());
    // Parsing Canonical Form: the generator adds avro.java.string properties, which don't change
    // what is on the wire.
    assertThat(generated.stream().map(SchemaNormalization::toParsingForm))
        .containsExactlyElementsOf(
            currentSchemas().stream().map(SchemaNormalization::toParsingForm).toList());
  }

  private static List<Path> releasedVersions(final String name) throws IOException {
    final Path dir = SCHEMAS.resolve("history").resolve(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc")).sorted().toList();
    }
  }

  private static List<String> incompatibilities(final Schema reader, final Schema writer) {
    final var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .toList();
  }
}
