package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.server.RegistryHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server started on a log a Confluent registry wrote (soft deletes, permanent deletes, a
 * PROTOBUF schema, cleared configs) serves what Confluent would and never reuses an id.
 */
class ReplayTest {

  private RegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    final InMemorySchemaStore store = new InMemorySchemaStore();
    final StoreRecordCodec codec = new StoreRecordCodec();
    for (final TopicDump.Line line : TopicDump.confluentTopic()) {
      codec.decode(line.key(), line.value()).ifPresent(store::append);
    }
    server = RegistryServer.builder().store(store).build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void onlySubjectsWithLiveVersionsAreListed() {
    assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"alerts-value\"]");
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects/old-value/versions").errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/gone-value/versions").errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/proto-value/versions").errorCode()).isEqualTo(40401);
  }

  @Test
  void softDeletedIdsStillResolveButPermanentlyDeletedOnesDoNot() {
    final Reply soft = http.get("/schemas/ids/3");
    assertThat(soft.status()).isEqualTo(200);
    assertThat(soft.body().get("schema").asText()).isEqualTo("\"string\"");

    final Reply hard = http.get("/schemas/ids/4");
    assertThat(hard.status()).isEqualTo(404);
    assertThat(hard.errorCode()).isEqualTo(40403);
  }

  @Test
  void configsAreReplayedIncludingClears() {
    assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
    assertThat(http.get("/config/alerts-value").body().get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD_TRANSITIVE");
    assertThat(http.get("/config/temp-value").errorCode()).isEqualTo(40408);
  }

  @Test
  void newIdsSkipEveryIdTheLogEverHeld() {
    // Ids 1..5 were used, 4 permanently deleted and 5 by a PROTOBUF schema: the next is 6.
    assertThat(http.register("fresh-value", "\"bytes\"")).isEqualTo(6);
  }

  @Test
  void aSubjectWhoseVersionsWereSoftDeletedContinuesItsNumbering() {
    http.register("old-value", "\"string\"");
    assertThat(http.get("/subjects/old-value/versions").body().toString()).isEqualTo("[2]");
    assertThat(http.get("/subjects/old-value/versions/2").body().get("id").asInt()).isEqualTo(3);
  }
}
