package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.server.RegistryHttp.Reply;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delete endpoints and the listings of deleted subjects and versions, over real HTTP, as
 * Confluent's API reference and its {@code SubjectsResource}, {@code SubjectVersionsResource} and
 * {@code KafkaSchemaRegistry} describe them: status, body and error code of each answer, and the
 * records each change leaves in the store.
 */
class DeleteEndpointsTest {

  private static final String SUBJECT = "alerts-value";

  private InMemorySchemaStore store;
  private RegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    store = new InMemorySchemaStore();
    server = RegistryServer.builder().store(store).build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // DELETE /subjects/{subject}

  @Test
  void softDeleteOfASubjectAnswersItsVersionsAndHidesIt() {
    final int id1 = http.register(SUBJECT, Schemas.V1);
    final int id2 = http.register(SUBJECT, Schemas.V2);
    http.register("news-value", "\"string\"");

    final Reply deleted = delete("/subjects/" + SUBJECT);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.contentType()).isEqualTo(RegistryHttp.V1_JSON);
    assertThat(deleted.body().toString()).isEqualTo("[1,2]");
    assertThat(store.replay()).last().isEqualTo(new StoreRecord.DeleteSubject(SUBJECT, 2));
    assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"news-value\"]");
    assertThat(http.get("/subjects?deleted=true").body().toString())
        .isEqualTo("[\"alerts-value\",\"news-value\"]");
    assertThat(http.get("/subjects?deletedOnly=true").body().toString())
        .isEqualTo("[\"alerts-value\"]");
    assertThat(http.get("/subjects?deleted=true&deletedOnly=true").body().toString())
        .as("deletedOnly wins")
        .isEqualTo("[\"alerts-value\"]");
    // Its ids still resolve, so data written with them can still be read.
    assertThat(http.get("/schemas/ids/" + id1).status()).isEqualTo(200);
    assertThat(http.get("/schemas/ids/" + id2).status()).isEqualTo(200);
  }

  @Test
  void aSoftDeletedSubjectsVersionsAreListedAndReadOnlyWhenAskedFor() {
    http.register(SUBJECT, Schemas.V1);
    http.register(SUBJECT, Schemas.V2);
    delete("/subjects/" + SUBJECT);

    assertError(http.get("/subjects/" + SUBJECT + "/versions"), 404, 40401);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions?deleted=true").body().toString())
        .isEqualTo("[1,2]");
    assertThat(http.get("/subjects/" + SUBJECT + "/versions?deletedOnly=true").body().toString())
        .isEqualTo("[1,2]");
    assertError(http.get("/subjects/" + SUBJECT + "/versions/1"), 404, 40401);
    assertError(http.get("/subjects/" + SUBJECT + "/versions/latest"), 404, 40401);
    final Reply withDeleted = http.get("/subjects/" + SUBJECT + "/versions/2?deleted=true");
    assertThat(withDeleted.status()).isEqualTo(200);
    assertThat(withDeleted.body().get("version").asInt()).isEqualTo(2);
    assertThat(withDeleted.body().get("subject").asText()).isEqualTo(SUBJECT);
    assertError(http.post("/subjects/" + SUBJECT, RegistryHttp.schemaBody(Schemas.V1)), 404, 40401);
  }

  @Test
  void softDeletingASoftDeletedSubjectIs40404() {
    http.register(SUBJECT, Schemas.V1);
    delete("/subjects/" + SUBJECT);

    final Reply again = delete("/subjects/" + SUBJECT);

    assertError(again, 404, 40404);
    assertThat(again.message())
        .isEqualTo(
            "Subject 'alerts-value' was soft deleted. Set permanent=true to delete permanently");
  }

  @Test
  void permanentDeleteBeforeASoftDeleteIs40405AndChangesNothing() {
    http.register(SUBJECT, Schemas.V1);
    final int records = store.size();

    final Reply reply = delete("/subjects/" + SUBJECT + "?permanent=true");

    assertError(reply, 404, 40405);
    assertThat(reply.message())
        .isEqualTo("Subject 'alerts-value' was not deleted first before being permanently deleted");
    assertThat(store.size()).isEqualTo(records);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void deletingAnUnknownSubjectIs40401() {
    assertError(delete("/subjects/nobody-value"), 404, 40401);
    assertError(delete("/subjects/nobody-value?permanent=true"), 404, 40401);
  }

  @Test
  void permanentDeleteAfterASoftDeleteRemovesTheSubjectItsIdsAndItsConfig() {
    final int id1 = http.register(SUBJECT, Schemas.V1);
    final int id2 = http.register(SUBJECT, Schemas.V2);
    http.setLevel(SUBJECT, "FULL");
    delete("/subjects/" + SUBJECT);
    final int before = store.size();

    final Reply reply = delete("/subjects/" + SUBJECT + "?permanent=true");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString()).isEqualTo("[1,2]");
    // As Confluent writes it: a tombstone per version, newest first, then the config cleared.
    assertThat(store.replay().subList(before, store.size()))
        .containsExactly(
            new StoreRecord.VersionTombstone(SUBJECT, 2),
            new StoreRecord.VersionTombstone(SUBJECT, 1),
            new StoreRecord.Config(SUBJECT, null));
    assertError(http.get("/schemas/ids/" + id1), 404, 40403);
    assertError(http.get("/schemas/ids/" + id2), 404, 40403);
    assertThat(http.get("/subjects?deleted=true").body()).isEmpty();
    assertError(http.get("/subjects/" + SUBJECT + "/versions?deleted=true"), 404, 40401);
    assertError(http.get("/config/" + SUBJECT), 404, 40408);
    assertError(delete("/subjects/" + SUBJECT + "?permanent=true"), 404, 40401);
  }

  @Test
  void anIdAnotherSubjectHoldsSurvivesAPermanentDelete() {
    final int shared = http.register(SUBJECT, Schemas.V1);
    assertThat(http.register("copy-value", Schemas.V1)).isEqualTo(shared);
    delete("/subjects/" + SUBJECT);
    delete("/subjects/" + SUBJECT + "?permanent=true");

    assertThat(http.get("/schemas/ids/" + shared).status()).isEqualTo(200);
    assertThat(http.register("third-value", Schemas.V1)).isEqualTo(shared);
  }

  // DELETE /subjects/{subject}/versions/{version}

  @Test
  void softDeleteOfAVersionAnswersItsNumberAndHidesIt() {
    final int id1 = http.register(SUBJECT, Schemas.V1);
    final int id2 = http.register(SUBJECT, Schemas.V2);

    final Reply reply = delete("/subjects/" + SUBJECT + "/versions/2");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().isInt()).isTrue();
    assertThat(reply.body().asInt()).isEqualTo(2);
    assertThat(store.replay())
        .last()
        .isEqualTo(
            new StoreRecord.SchemaVersion(
                SUBJECT, 2, id2, http.get("/schemas/ids/" + id2).body().get("schema").asText(), true));
    final String versions = "/subjects/" + SUBJECT + "/versions";
    assertThat(http.get(versions).body().toString()).isEqualTo("[1]");
    assertThat(http.get(versions + "?deleted=true").body().toString()).isEqualTo("[1,2]");
    assertThat(http.get(versions + "?deletedOnly=true").body().toString()).isEqualTo("[2]");
    assertThat(http.get(versions + "/latest").body().get("id").asInt()).isEqualTo(id1);
    assertError(http.get(versions + "/2"), 404, 40402);
    assertThat(http.get(versions + "/2?deleted=true").body().get("id").asInt()).isEqualTo(id2);
    assertThat(http.get("/schemas/ids/" + id2).status()).isEqualTo(200);
    assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"alerts-value\"]");
  }

  @Test
  void latestMeansTheNewestLiveVersion() {
    http.register(SUBJECT, Schemas.V1);
    http.register(SUBJECT, Schemas.V2);

    assertThat(delete("/subjects/" + SUBJECT + "/versions/latest").body().asInt()).isEqualTo(2);
    assertThat(delete("/subjects/" + SUBJECT + "/versions/latest").body().asInt()).isEqualTo(1);
    // No live version is left to be the latest; the subject still has (soft-deleted) versions.
    assertError(delete("/subjects/" + SUBJECT + "/versions/latest"), 404, 40402);
    assertThat(http.get("/subjects?deletedOnly=true").body().toString())
        .isEqualTo("[\"alerts-value\"]");
  }

  @Test
  void softDeletingASoftDeletedVersionIs40406() {
    http.register(SUBJECT, Schemas.V1);
    http.register(SUBJECT, Schemas.V2);
    delete("/subjects/" + SUBJECT + "/versions/1");

    final Reply again = delete("/subjects/" + SUBJECT + "/versions/1");

    assertError(again, 404, 40406);
    assertThat(again.message())
        .isEqualTo(
            "Subject 'alerts-value' Version 1 was soft deleted. Set permanent=true to delete"
                + " permanently");
  }

  @Test
  void permanentDeleteOfALiveVersionIs40407() {
    http.register(SUBJECT, Schemas.V1);

    final Reply reply = delete("/subjects/" + SUBJECT + "/versions/1?permanent=true");

    assertError(reply, 404, 40407);
    assertThat(reply.message())
        .isEqualTo(
            "Subject 'alerts-value' Version 1 was not deleted first before being permanently"
                + " deleted");
    assertError(delete("/subjects/" + SUBJECT + "/versions/latest?permanent=true"), 404, 40407);
  }

  @Test
  void permanentDeleteOfASoftDeletedVersionRemovesItAndItsId() {
    http.register(SUBJECT, Schemas.V1);
    final int id2 = http.register(SUBJECT, Schemas.V2);
    delete("/subjects/" + SUBJECT + "/versions/2");

    final Reply reply = delete("/subjects/" + SUBJECT + "/versions/2?permanent=true");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().asInt()).isEqualTo(2);
    assertThat(store.replay()).last().isEqualTo(new StoreRecord.VersionTombstone(SUBJECT, 2));
    assertThat(http.get("/subjects/" + SUBJECT + "/versions?deleted=true").body().toString())
        .isEqualTo("[1]");
    assertError(http.get("/schemas/ids/" + id2), 404, 40403);
    assertError(delete("/subjects/" + SUBJECT + "/versions/2?permanent=true"), 404, 40402);
    assertError(delete("/subjects/" + SUBJECT + "/versions/2"), 404, 40402);
  }

  @Test
  void permanentlyDeletingTheLastVersionClearsTheSubjectsConfig() {
    http.register(SUBJECT, Schemas.V1);
    http.setLevel(SUBJECT, "NONE");
    delete("/subjects/" + SUBJECT + "/versions/1");

    delete("/subjects/" + SUBJECT + "/versions/1?permanent=true");

    assertThat(store.replay())
        .last()
        .isEqualTo(new StoreRecord.Config(SUBJECT, null));
    assertError(http.get("/config/" + SUBJECT), 404, 40408);
  }

  @Test
  void unknownSubjectVersionOrInvalidVersionFollowConfluent() {
    http.register(SUBJECT, Schemas.V1);

    assertError(delete("/subjects/nobody-value/versions/1"), 404, 40401);
    assertError(delete("/subjects/" + SUBJECT + "/versions/7"), 404, 40402);
    for (final String bad : List.of("abc", "0", "-2")) {
      assertError(delete("/subjects/" + SUBJECT + "/versions/" + bad), 422, 42202);
    }
  }

  // Registering after deletes

  @Test
  void registeringASoftDeletedSchemaAgainMakesANewVersionWithItsIdAndDropsTheOldOne() {
    http.register(SUBJECT, Schemas.V1);
    final int id2 = http.register(SUBJECT, Schemas.V2);
    delete("/subjects/" + SUBJECT + "/versions/2");

    assertThat(http.register(SUBJECT, Schemas.V2)).isEqualTo(id2);

    assertThat(http.get("/subjects/" + SUBJECT + "/versions?deleted=true").body().toString())
        .isEqualTo("[1,3]");
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/3").body().get("id").asInt())
        .isEqualTo(id2);
    final List<StoreRecord> log = store.replay();
    assertThat(log.subList(log.size() - 2, log.size()))
        .satisfiesExactly(
            tombstone -> assertThat(tombstone).isEqualTo(new StoreRecord.VersionTombstone(SUBJECT, 2)),
            version ->
                assertThat(version)
                    .isInstanceOfSatisfying(
                        StoreRecord.SchemaVersion.class,
                        v -> assertThat(List.of(v.version(), v.id())).containsExactly(3, id2)));
  }

  @Test
  void aSoftDeletedSubjectTakesAnySchemaAndContinuesItsNumbering() {
    http.register(SUBJECT, Schemas.V1);
    delete("/subjects/" + SUBJECT);

    // Compatibility is checked against live versions only: none are left.
    final Reply reply =
        http.post(
            "/subjects/" + SUBJECT + "/versions",
            RegistryHttp.schemaBody(Schemas.alert(Schemas.A_STRING)));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(http.get("/subjects/" + SUBJECT + "/versions").body().toString()).isEqualTo("[2]");
    assertThat(http.get("/subjects?deletedOnly=true").body()).isEmpty();
  }

  // Modes, and the log replayed

  @Test
  void aReadOnlySubjectCannotBeDeleted() {
    http.register(SUBJECT, Schemas.V1);
    store.append(new StoreRecord.Mode(SUBJECT, "READONLY"));
    restart();

    final Reply reply = delete("/subjects/" + SUBJECT);
    assertError(reply, 422, 42205);
    assertThat(reply.message()).contains("read-only");
    assertError(delete("/subjects/" + SUBJECT + "/versions/1"), 422, 42205);

    store.append(new StoreRecord.Mode(SUBJECT, null));
    store.append(new StoreRecord.Mode(null, "READONLY_OVERRIDE"));
    restart();
    assertError(delete("/subjects/" + SUBJECT), 422, 42205);

    store.append(new StoreRecord.Mode(null, "READWRITE"));
    restart();
    assertThat(delete("/subjects/" + SUBJECT).status()).isEqualTo(200);
  }

  @Test
  void aPermanentDeleteClearsTheSubjectsMode() {
    http.register(SUBJECT, Schemas.V1);
    store.append(new StoreRecord.Mode(SUBJECT, "IMPORT"));
    restart();
    delete("/subjects/" + SUBJECT);

    delete("/subjects/" + SUBJECT + "?permanent=true");

    assertThat(store.replay()).last().isEqualTo(new StoreRecord.Mode(SUBJECT, null));
  }

  @Test
  void aRestartedServerSeesTheSameDeletes() {
    final int id1 = http.register(SUBJECT, Schemas.V1);
    http.register(SUBJECT, Schemas.V2);
    http.register("news-value", "\"string\"");
    http.register("gone-value", "\"long\"");
    http.setLevel("gone-value", CompatibilityLevel.FULL.name());
    delete("/subjects/" + SUBJECT + "/versions/2");
    delete("/subjects/news-value");
    delete("/subjects/gone-value");
    delete("/subjects/gone-value?permanent=true");

    restart();

    assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"alerts-value\"]");
    assertThat(http.get("/subjects?deleted=true").body().toString())
        .isEqualTo("[\"alerts-value\",\"news-value\"]");
    assertThat(http.get("/subjects/" + SUBJECT + "/versions?deleted=true").body().toString())
        .isEqualTo("[1,2]");
    assertThat(http.get("/subjects/" + SUBJECT + "/versions/latest").body().get("id").asInt())
        .isEqualTo(id1);
    assertError(http.get("/config/gone-value"), 404, 40408);
    assertThat(http.register("fresh-value", "\"bytes\"")).as("ids are never reused").isEqualTo(5);
  }

  @Test
  void onlyTheMethodsOfEachPathAreAllowed() {
    assertThat(http.method("DELETE", "/subjects").status()).isEqualTo(405);
    assertThat(http.method("PUT", "/subjects/" + SUBJECT).status()).isEqualTo(405);
    assertThat(http.method("POST", "/subjects/" + SUBJECT + "/versions/1").status()).isEqualTo(405);
  }

  private Reply delete(final String path) {
    return http.method("DELETE", path);
  }

  private void restart() {
    server.close();
    server = RegistryServer.builder().store(store).build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  private static void assertError(final Reply reply, final int status, final int errorCode) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.errorCode()).as(reply.toString()).isEqualTo(errorCode);
    assertThat(reply.contentType()).isEqualTo(RegistryHttp.V1_JSON);
  }
}
