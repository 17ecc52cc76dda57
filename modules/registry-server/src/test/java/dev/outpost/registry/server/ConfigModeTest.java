package dev.outpost.registry.server;

import static dev.outpost.registry.server.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.server.RegistryHttp.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /config[/{s}]}, {@code defaultToGlobal}, and {@code /mode[/{s}]} with READWRITE,
 * READONLY and IMPORT, as Confluent's {@code ConfigResource} and {@code ModeResource} answer.
 */
class ConfigModeTest {

  private RegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    server = RegistryServer.builder().build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void deleteGlobalConfigReturnsTheLevelAndRestoresTheDefault() {
    assertThat(http.put("/config", "{\"compatibility\":\"FULL\"}").status()).isEqualTo(200);
    final Reply deleted = http.method("DELETE", "/config");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().toString()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    assertThat(http.get("/config").body().toString())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
  }

  @Test
  void deleteSubjectConfigReturnsItsLevelThenTheSubjectFollowsTheGlobalOne() {
    http.setLevel("alerts-value", "NONE");
    final Reply deleted = http.method("DELETE", "/config/alerts-value");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().toString()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    assertThat(http.get("/config/alerts-value").errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/alerts-value?defaultToGlobal=true").body().toString())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
  }

  @Test
  void deleteSubjectConfigThatWasNeverSetIs40401() {
    final Reply reply = http.method("DELETE", "/config/alerts-value");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40401);
  }

  @Test
  void globalModeIsReadWriteByDefaultAndCanBeSet() {
    assertThat(http.get("/mode").body().toString()).isEqualTo("{\"mode\":\"READWRITE\"}");
    final Reply put = http.put("/mode", "{\"mode\":\"readonly\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().toString()).isEqualTo("{\"mode\":\"READONLY\"}");
    assertThat(http.get("/mode").body().toString()).isEqualTo("{\"mode\":\"READONLY\"}");
    final Reply deleted = http.method("DELETE", "/mode");
    assertThat(deleted.body().toString()).isEqualTo("{\"mode\":\"READONLY\"}");
    assertThat(http.get("/mode").body().toString()).isEqualTo("{\"mode\":\"READWRITE\"}");
  }

  @Test
  void anInvalidModeIs42204() {
    for (final String body : new String[] {"{\"mode\":\"SIDEWAYS\"}", "{}", "{\"mode\":3}"}) {
      final Reply reply = http.put("/mode/alerts-value", body);
      assertThat(reply.status()).as(body).isEqualTo(422);
      assertThat(reply.errorCode()).as(body).isEqualTo(42204);
    }
  }

  @Test
  void subjectModeNotSetIs40409UnlessDefaultingToGlobal() {
    final Reply reply = http.get("/mode/alerts-value");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40409);
    assertThat(http.get("/mode/alerts-value?defaultToGlobal=true").body().toString())
        .isEqualTo("{\"mode\":\"READWRITE\"}");
    assertThat(http.method("DELETE", "/mode/alerts-value").errorCode()).isEqualTo(40401);
  }

  @Test
  void readOnlySubjectRefusesRegistrationAndConfigWith42205ButServesReads() {
    final int id = http.register("alerts-value", Schemas.V1);
    assertThat(http.put("/mode/alerts-value", "{\"mode\":\"READONLY\"}").status()).isEqualTo(200);
    assertThat(http.get("/mode/alerts-value").body().toString())
        .isEqualTo("{\"mode\":\"READONLY\"}");

    final Reply register = http.post("/subjects/alerts-value/versions", schemaBody(Schemas.V2));
    assertThat(register.status()).isEqualTo(422);
    assertThat(register.errorCode()).isEqualTo(42205);
    assertThat(register.message()).contains("read-only");
    assertThat(http.put("/config/alerts-value", "{\"compatibility\":\"NONE\"}").errorCode())
        .isEqualTo(42205);
    assertThat(http.get("/subjects/alerts-value/versions/1").body().get("id").asInt())
        .isEqualTo(id);
    // Other subjects are untouched; deleting the subject's mode lifts it.
    assertThat(http.register("news-value", Schemas.V1)).isEqualTo(id);
    assertThat(http.method("DELETE", "/mode/alerts-value").body().toString())
        .isEqualTo("{\"mode\":\"READONLY\"}");
    assertThat(http.register("alerts-value", Schemas.V2)).isEqualTo(id + 1);
  }

  @Test
  void importModeNeedsAnEmptySubjectUnlessForced() {
    http.register("alerts-value", Schemas.V1);
    final Reply refused = http.put("/mode/alerts-value", "{\"mode\":\"IMPORT\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo(42205);
    assertThat(http.put("/mode", "{\"mode\":\"IMPORT\"}").errorCode()).isEqualTo(42205);
    assertThat(http.put("/mode/alerts-value?force=true", "{\"mode\":\"IMPORT\"}").status())
        .isEqualTo(200);
    assertThat(http.put("/mode/empty-value", "{\"mode\":\"IMPORT\"}").status()).isEqualTo(200);
  }

  @Test
  void importModeRegistersUnderTheGivenIdAndVersion() {
    assertThat(http.put("/mode/imported-value", "{\"mode\":\"IMPORT\"}").status()).isEqualTo(200);

    final Reply imported =
        http.post(
            "/subjects/imported-value/versions",
            RegistryHttp.json(Map.of("schema", Schemas.V1, "id", 42, "version", 3)));
    assertThat(imported.status()).isEqualTo(200);
    assertThat(imported.body().get("id").asInt()).isEqualTo(42);
    final Reply version = http.get("/subjects/imported-value/versions/3");
    assertThat(version.body().get("id").asInt()).isEqualTo(42);
    assertThat(version.body().get("version").asInt()).isEqualTo(3);

    // Without an id, IMPORT refuses; an id held by another schema cannot be overwritten.
    assertThat(
            http.post("/subjects/imported-value/versions", schemaBody(Schemas.V2)).errorCode())
        .isEqualTo(42205);
    final Reply overwrite =
        http.post(
            "/subjects/imported-value/versions",
            RegistryHttp.json(Map.of("schema", Schemas.V2, "id", 42, "version", 4)));
    assertThat(overwrite.errorCode()).isEqualTo(42205);
    assertThat(overwrite.message()).contains("42");

    // Back in READWRITE, new ids continue after the imported one.
    assertThat(http.method("DELETE", "/mode/imported-value").status()).isEqualTo(200);
    assertThat(http.register("imported-value", Schemas.V2)).isEqualTo(43);
    assertThat(http.get("/subjects/imported-value/versions").body().toString())
        .isEqualTo("[3,4]");
  }

  @Test
  void anIdOutsideImportModeIs42205() {
    final Reply reply =
        http.post(
            "/subjects/alerts-value/versions",
            RegistryHttp.json(Map.of("schema", Schemas.V1, "id", 7)));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42205);
    assertThat(reply.message()).contains("not in import mode");
  }

  @Test
  void aVersionThatIsNotTheNextOneIs42201OutsideImport() {
    final Reply reply =
        http.post(
            "/subjects/alerts-value/versions",
            RegistryHttp.json(Map.of("schema", Schemas.V1, "version", 5)));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    final Reply next =
        http.post(
            "/subjects/alerts-value/versions",
            RegistryHttp.json(Map.of("schema", Schemas.V1, "version", 1)));
    assertThat(next.status()).isEqualTo(200);
  }
}
