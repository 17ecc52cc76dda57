package dev.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outpost.model.Alert;
import dev.outpost.model.NewsItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

  private static final Schema NEWS = NewsItem.getClassSchema();

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  /** Version 1 of a small record. */
  private static Schema v1() {
    return SchemaBuilder.record("Thing").namespace("t").fields().requiredString("a").endRecord();
  }

  /** v1 plus an optional field: BACKWARD compatible. */
  private static Schema v2WithDefault() {
    return SchemaBuilder.record("Thing")
        .namespace("t")
        .fields()
        .requiredString("a")
        .name("b")
        .type()
        .stringType()
        .stringDefault("x")
        .endRecord();
  }

  /** v1 plus a required field without default: not BACKWARD compatible. */
  private static Schema v2Required() {
    return SchemaBuilder.record("Thing")
        .namespace("t")
        .fields()
        .requiredString("a")
        .requiredInt("c")
        .endRecord();
  }

  @Test
  void idsStartAtOneAndAreGlobalPerSchema() {
    final int news = registry.register("news-value", NEWS);
    final int alert = registry.register("alerts-value", Alert.getClassSchema());
    final int newsElsewhere = registry.register("archive-value", NEWS);

    assertThat(news).isEqualTo(1);
    assertThat(alert).isEqualTo(2);
    // Same schema, another subject: same id, as in Confluent's registry.
    assertThat(newsElsewhere).isEqualTo(news);
    assertThat(registry.getById(1)).isEqualTo(NEWS);
    assertThat(registry.subjects()).containsExactly("alerts-value", "archive-value", "news-value");
  }

  @Test
  void reRegisteringReturnsTheSameIdAndAddsNoVersion() {
    final int first = registry.register("s", v1());
    final int again = registry.register("s", new Schema.Parser().parse(v1().toString()));

    assertThat(again).isEqualTo(first);
    assertThat(registry.versions("s")).containsExactly(1);
  }

  @Test
  void versionsCountPerSubject() {
    registry.register("s", v1());
    registry.register("s", v2WithDefault());
    registry.register("other", v2WithDefault());

    assertThat(registry.versions("s")).containsExactly(1, 2);
    assertThat(registry.versions("other")).containsExactly(1);
    final RegisteredSchema latest = registry.latest("s");
    assertThat(latest.version()).isEqualTo(2);
    assertThat(latest.schema()).isEqualTo(v2WithDefault());
    assertThat(registry.version("s", 1).schema()).isEqualTo(v1());
    assertThat(registry.version("other", 1).id()).isEqualTo(latest.id());
    assertThat(registry.lookup("s", v1())).isEqualTo(new RegisteredSchema("s", 1, 1, v1()));
  }

  @Test
  void anIncompatibleSchemaIsRefusedUnderTheDefaultBackwardLevel() {
    registry.register("s", v1());

    final IncompatibleSchemaException thrown =
        catchThrowableOfType(IncompatibleSchemaException.class, () -> registry.register("s", v2Required()));

    assertThat(thrown.errorCode()).isEqualTo(40901);
    assertThat(thrown.getMessage())
        .contains("POST /subjects/s/versions")
        .contains("BACKWARD")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("c");
    assertThat(registry.versions("s")).containsExactly(1);
  }

  @Test
  void levelNoneAcceptsAnything() {
    registry.setSubjectCompatibility("s", CompatibilityLevel.NONE);
    registry.register("s", v1());

    registry.register("s", v2Required());

    assertThat(registry.versions("s")).containsExactly(1, 2);
  }

  @Test
  void aSubjectLevelOverridesTheGlobalOne() {
    registry.setGlobalCompatibility(CompatibilityLevel.NONE);
    registry.setSubjectCompatibility("strict", CompatibilityLevel.FULL);

    assertThat(registry.globalCompatibility()).isEqualTo(CompatibilityLevel.NONE);
    assertThat(registry.subjectCompatibility("strict")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.subjectCompatibility("anything")).isEqualTo(CompatibilityLevel.NONE);

    registry.register("strict", v1());
    registry.register("loose", v1());
    assertThatThrownBy(() -> registry.register("strict", v2Required()))
        .isInstanceOf(IncompatibleSchemaException.class);
    registry.register("loose", v2Required());
    assertThat(registry.versions("loose")).containsExactly(1, 2);
  }

  @Test
  void testCompatibilityReportsWithoutRegistering() {
    registry.register("s", v1());

    assertThat(registry.testCompatibility("s", v2WithDefault())).isEmpty();
    assertThat(registry.testCompatibility("s", v2Required()))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(registry.testCompatibility("s", 1, v2Required())).isNotEmpty();
    assertThat(registry.versions("s")).containsExactly(1);
  }

  @Test
  void anythingIsCompatibleWithTheLatestOfAnEmptySubject() {
    assertThat(registry.testCompatibility("nobody", v2Required())).isEmpty();
  }

  @Test
  void missingThingsRaiseTheSameExceptionsAsTheHttpClient() {
    registry.register("s", v1());

    assertThat(catchThrowableOfType(SubjectNotFoundException.class, () -> registry.versions("nope")))
        .hasMessageContaining("GET /subjects/nope/versions")
        .hasMessageContaining("Subject 'nope' not found")
        .extracting(SchemaRegistryException::errorCode)
        .isEqualTo(40401);
    assertThat(catchThrowableOfType(SubjectNotFoundException.class, () -> registry.latest("nope")))
        .hasMessageContaining("/subjects/nope/versions/latest");
    assertThat(catchThrowableOfType(SubjectNotFoundException.class, () -> registry.lookup("nope", v1())))
        .hasMessageContaining("POST /subjects/nope");
    assertThat(catchThrowableOfType(VersionNotFoundException.class, () -> registry.version("s", 7)))
        .hasMessageContaining("GET /subjects/s/versions/7")
        .extracting(SchemaRegistryException::errorCode)
        .isEqualTo(40402);
    assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> registry.getById(99)))
        .hasMessageContaining("GET /schemas/ids/99")
        .extracting(SchemaRegistryException::errorCode)
        .isEqualTo(40403);
    assertThat(catchThrowableOfType(SchemaNotFoundException.class, () -> registry.lookup("s", NEWS)))
        .hasMessageContaining("dev.outpost.model.NewsItem")
        .hasMessageContaining("'s'")
        .extracting(SchemaRegistryException::errorCode)
        .isEqualTo(40403);
    assertThat(catchThrowableOfType(InvalidSchemaException.class, () -> registry.version("s", 0)))
        .extracting(SchemaRegistryException::errorCode)
        .isEqualTo(42202);
    assertThat(
            catchThrowableOfType(
                VersionNotFoundException.class, () -> registry.testCompatibility("s", 3, v1())))
        .hasMessageContaining("POST /compatibility/subjects/s/versions/3");
    assertThat(
            catchThrowableOfType(
                SubjectNotFoundException.class, () -> registry.testCompatibility("nope", 1, v1())))
        .hasMessageContaining("nope");
  }

  @Test
  void getByIdReturnsAFreshParseNotTheCallersInstance() {
    final Schema mine = v1();
    final int id = registry.register("s", mine);

    final Schema stored = registry.getById(id);

    assertThat(stored).isEqualTo(mine).isNotSameAs(mine);
  }

  @Test
  void concurrentRegistrationsOfOneSchemaGetOneIdAndOneVersion() throws Exception {
    final int threads = 8;
    final ExecutorService pool = Executors.newFixedThreadPool(threads);
    final CountDownLatch start = new CountDownLatch(1);
    try {
      final List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        final String subject = "s" + (i % 2);
        final Callable<Integer> task =
            () -> {
              start.await();
              return registry.register(subject, NEWS);
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      final Set<Integer> ids = new HashSet<>();
      for (final Future<Integer> result : results) {
        ids.add(result.get(10, TimeUnit.SECONDS));
      }

      assertThat(ids).containsExactly(1);
      assertThat(registry.versions("s0")).containsExactly(1);
      assertThat(registry.versions("s1")).containsExactly(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
