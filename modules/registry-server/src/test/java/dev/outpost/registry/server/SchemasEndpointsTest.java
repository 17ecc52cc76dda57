package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.registry.server.RegistryHttp.Reply;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read API over schemas and ids, as Confluent documents it: {@code GET /schemas}, {@code
 * /schemas/ids/{id}/schema|subjects|versions}, {@code /subjects?subjectPrefix=} and {@code
 * /subjects/{s}/versions/{v}/schema}. The store is seeded with a soft-deleted version, as a
 * Confluent registry's log holds one, so the {@code deleted} flags have something to show.
 */
class SchemasEndpointsTest {

  private static final String V1_CANONICAL = new Schema.Parser().parse(Schemas.V1).toString();
  private static final String V2_CANONICAL = new Schema.Parser().parse(Schemas.V2).toString();

  private RegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    // Given: alerts-value v1 (id 1), v2 (id 2); news-value v1 (id 1); old-value v1 (id 2),
    // soft-deleted.
    final InMemorySchemaStore store = new InMemorySchemaStore();
    store.append(new StoreRecord.SchemaVersion("alerts-value", 1, 1, V1_CANONICAL, false));
    store.append(new StoreRecord.SchemaVersion("alerts-value", 2, 2, V2_CANONICAL, false));
    store.append(new StoreRecord.SchemaVersion("news-value", 1, 1, V1_CANONICAL, false));
    store.append(new StoreRecord.SchemaVersion("old-value", 1, 2, V2_CANONICAL, true));
    server = RegistryServer.builder().store(store).build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void schemasListsEveryLiveVersionBySubjectAndVersion() {
    final Reply reply = http.get("/schemas");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo(RegistryHttp.V1_JSON);
    assertThat(pairs(reply.body()))
        .containsExactly("alerts-value/1/1", "alerts-value/2/2", "news-value/1/1");
    final JsonNode first = reply.body().get(0);
    assertThat(first.fieldNames()).toIterable().containsExactly("subject", "version", "id", "schema");
    assertThat(first.get("schema").asText()).isEqualTo(V1_CANONICAL);
  }

  @Test
  void schemasFiltersByPrefixLatestOnlyAndDeleted() {
    assertThat(pairs(http.get("/schemas?subjectPrefix=alerts").body()))
        .containsExactly("alerts-value/1/1", "alerts-value/2/2");
    assertThat(pairs(http.get("/schemas?latestOnly=true").body()))
        .containsExactly("alerts-value/2/2", "news-value/1/1");
    assertThat(pairs(http.get("/schemas?deleted=true").body()))
        .containsExactly("alerts-value/1/1", "alerts-value/2/2", "news-value/1/1", "old-value/1/2");
    assertThat(http.get("/schemas?subjectPrefix=zzz").body()).isEmpty();
  }

  @Test
  void schemaOnlyByIdIsTheRawText() {
    final Reply reply = http.get("/schemas/ids/2/schema");
    assertThat(reply.status()).isEqualTo(200);
    // The schema itself, not a JSON string holding it.
    assertThat(reply.body().isObject()).isTrue();
    assertThat(reply.body().toString()).isEqualTo(V2_CANONICAL);
  }

  @Test
  void schemaOnlyByUnknownIdIs40403() {
    final Reply reply = http.get("/schemas/ids/99/schema");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40403);
  }

  @Test
  void subjectsOfAnIdAreSortedAndSkipDeletedUnlessAsked() {
    final Reply one = http.get("/schemas/ids/1/subjects");
    assertThat(one.status()).isEqualTo(200);
    assertThat(texts(one.body())).containsExactly("alerts-value", "news-value");
    assertThat(texts(http.get("/schemas/ids/2/subjects").body())).containsExactly("alerts-value");
    assertThat(texts(http.get("/schemas/ids/2/subjects?deleted=true").body()))
        .containsExactly("alerts-value", "old-value");
    final Reply unknown = http.get("/schemas/ids/99/subjects");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(40403);
  }

  @Test
  void versionsOfAnIdAreSubjectVersionPairs() {
    final Reply reply = http.get("/schemas/ids/1/versions");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString())
        .isEqualTo(
            "[{\"subject\":\"alerts-value\",\"version\":1},{\"subject\":\"news-value\",\"version\":1}]");
    assertThat(http.get("/schemas/ids/2/versions?deleted=true").body().toString())
        .isEqualTo(
            "[{\"subject\":\"alerts-value\",\"version\":2},{\"subject\":\"old-value\",\"version\":1}]");
    final Reply unknown = http.get("/schemas/ids/99/versions");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(40403);
  }

  @Test
  void subjectsFilterByPrefix() {
    assertThat(texts(http.get("/subjects?subjectPrefix=news").body())).containsExactly("news-value");
    assertThat(texts(http.get("/subjects?subjectPrefix=").body()))
        .containsExactly("alerts-value", "news-value");
    assertThat(http.get("/subjects?subjectPrefix=zzz").body()).isEmpty();
  }

  @Test
  void versionSchemaOnlyIsTheRawText() {
    final Reply latest = http.get("/subjects/alerts-value/versions/latest/schema");
    assertThat(latest.status()).isEqualTo(200);
    assertThat(latest.body().toString()).isEqualTo(V2_CANONICAL);
    assertThat(http.get("/subjects/alerts-value/versions/1/schema").body().toString())
        .isEqualTo(V1_CANONICAL);
  }

  @Test
  void versionSchemaOnlyErrorsAreThoseOfTheVersion() {
    final Reply noSubject = http.get("/subjects/nope/versions/1/schema");
    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    final Reply noVersion = http.get("/subjects/alerts-value/versions/7/schema");
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.errorCode()).isEqualTo(40402);
    final Reply badVersion = http.get("/subjects/alerts-value/versions/zero/schema");
    assertThat(badVersion.status()).isEqualTo(422);
    assertThat(badVersion.errorCode()).isEqualTo(42202);
  }

  @Test
  void writingToReadOnlyPathsIs405() {
    assertThat(http.post("/schemas", "{}").status()).isEqualTo(405);
    assertThat(http.method("DELETE", "/schemas/ids/1/schema").status()).isEqualTo(405);
    assertThat(http.get("/schemas/ids/1/nothing").status()).isEqualTo(404);
  }

  /** "subject/version/id" for each schema in a {@code GET /schemas} answer. */
  private static List<String> pairs(final JsonNode schemas) {
    final List<String> found = new ArrayList<>();
    for (final JsonNode schema : schemas) {
      found.add(
          schema.get("subject").asText()
              + "/"
              + schema.get("version").asInt()
              + "/"
              + schema.get("id").asInt());
    }
    return found;
  }

  private static List<String> texts(final JsonNode array) {
    final List<String> found = new ArrayList<>();
    array.forEach(item -> found.add(item.asText()));
    return found;
  }
}
