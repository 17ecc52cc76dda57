package dev.outpost.registry.server;

import static dev.outpost.registry.server.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.server.RegistryHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /compatibility/subjects/{s}/versions[?verbose=true]}: a schema against a subject's
 * versions as registering it would check it (all of them for a transitive level, the latest
 * otherwise).
 */
class CompatibilityEndpointTest {

  private static final String PATH = "/compatibility/subjects/alerts-value/versions";

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
  void aSubjectWithoutVersionsIsCompatible() {
    final Reply reply = http.post(PATH, schemaBody(Schemas.V1));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString()).isEqualTo("{\"is_compatible\":true}");
  }

  @Test
  void aNonTransitiveLevelChecksOnlyTheLatest() {
    // v1 {a}, v2 {a, b="x"}; {a, b} reads v2's data but not v1's.
    http.register("alerts-value", Schemas.V1);
    http.register("alerts-value", Schemas.V2);
    http.setLevel("alerts-value", "BACKWARD");
    final Reply reply = http.post(PATH, schemaBody(Schemas.V2_NO_DEFAULT));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("is_compatible").asBoolean()).isTrue();
  }

  @Test
  void aTransitiveLevelChecksEveryVersionAndVerboseSaysWhichFailed() {
    http.register("alerts-value", Schemas.V1);
    http.register("alerts-value", Schemas.V2);
    http.setLevel("alerts-value", "BACKWARD_TRANSITIVE");

    final Reply quiet = http.post(PATH, schemaBody(Schemas.V2_NO_DEFAULT));
    assertThat(quiet.body().toString()).isEqualTo("{\"is_compatible\":false}");

    final Reply verbose = http.post(PATH + "?verbose=true", schemaBody(Schemas.V2_NO_DEFAULT));
    assertThat(verbose.status()).isEqualTo(200);
    assertThat(verbose.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.body().get("messages").toString())
        .contains("{oldSchemaVersion: 1}")
        .contains("{compatibility: 'BACKWARD_TRANSITIVE'}");
  }

  @Test
  void verboseCompatibleAnswerHasNoMessages() {
    http.register("alerts-value", Schemas.V1);
    final Reply reply = http.post(PATH + "?verbose=true", schemaBody(Schemas.V2));
    assertThat(reply.body().toString()).isEqualTo("{\"is_compatible\":true,\"messages\":[]}");
  }

  @Test
  void anInvalidSchemaIs42201OrAMessageWhenVerbose() {
    final Reply reply = http.post(PATH, schemaBody("{\"type\":\"nope\"}"));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    final Reply verbose = http.post(PATH + "?verbose=true", schemaBody("{\"type\":\"nope\"}"));
    assertThat(verbose.status()).isEqualTo(200);
    assertThat(verbose.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.body().get("messages").get(0).asText()).startsWith("Invalid schema");
  }

  @Test
  void theLevelNoneAcceptsAnything() {
    http.register("alerts-value", Schemas.V1);
    http.setLevel("alerts-value", "NONE");
    final Reply reply =
        http.post(PATH, schemaBody(Schemas.alert(Schemas.A_STRING)));
    assertThat(reply.body().get("is_compatible").asBoolean()).isTrue();
  }

  @Test
  void onlyPostIsAllowed() {
    final Reply reply = http.get(PATH);
    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.errorCode()).isEqualTo(405);
  }
}
