package dev.outpost.registry.server;

import static dev.outpost.registry.server.RegistryHttp.encode;
import static dev.outpost.registry.server.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.server.RegistryHttp.Reply;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's REST API over real HTTP, against an in-memory store. */
class RegistryServerTest {

  private InMemorySchemaStore store;
  private RegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    store = new InMemorySchemaStore();
    server = RegistryServer.builder().port(0).store(store).build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bindsToLoopbackOnly() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.address().getAddress().isAnyLocalAddress()).isFalse();
    assertThat(server.port()).isPositive();
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
  }

  @Test
  void registersAndReadsBackEveryWay() {
    final int id = http.register("alerts-value", Schemas.V1);
    assertThat(id).isEqualTo(1);

    final Reply byId = http.get("/schemas/ids/" + id);
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.contentType()).isEqualTo(RegistryHttp.V1_JSON);
    assertThat(new Schema.Parser().parse(byId.body().get("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(Schemas.V1));

    assertThat(http.get("/subjects").body()).containsExactly(text("alerts-value"));
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1]");

    final Reply latest = http.get("/subjects/alerts-value/versions/latest");
    assertThat(latest.status()).isEqualTo(200);
    assertVersion(latest.body(), "alerts-value", 1, id);
    assertVersion(http.get("/subjects/alerts-value/versions/1").body(), "alerts-value", 1, id);

    final Reply lookup = http.post("/subjects/alerts-value", schemaBody(Schemas.V1));
    assertThat(lookup.status()).isEqualTo(200);
    assertVersion(lookup.body(), "alerts-value", 1, id);
    assertThat(lookup.body().fieldNames())
        .toIterable()
        .containsExactly("subject", "version", "id", "schema");
  }

  @Test
  void secondVersionGetsNextIdAndVersion() {
    final int first = http.register("alerts-value", Schemas.V1);
    final int second = http.register("alerts-value", Schemas.V2);
    assertThat(second).isEqualTo(first + 1);
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1,2]");
    assertVersion(http.get("/subjects/alerts-value/versions/latest").body(), "alerts-value", 2, second);
    assertVersion(http.get("/subjects/alerts-value/versions/1").body(), "alerts-value", 1, first);
  }

  @Test
  void sameSchemaTwiceKeepsItsIdAndMakesNoNewVersion() {
    final int id = http.register("alerts-value", Schemas.V1);
    assertThat(http.register("alerts-value", Schemas.V1)).isEqualTo(id);
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1]");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void whitespaceAndKeyOrderDoNotMakeANewVersion() {
    final int id = http.register("alerts-value", Schemas.V1);
    final String reformatted =
        "{\n  \"fields\" : [ { \"type\" : \"int\", \"name\" : \"a\" } ],\n"
            + "  \"namespace\" : \"dev.outpost.test\",\n  \"name\" : \"Alert\",\n"
            + "  \"type\" : \"record\"\n}\n";
    assertThat(http.register("alerts-value", reformatted)).isEqualTo(id);
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1]");
    final Reply lookup = http.post("/subjects/alerts-value", schemaBody(reformatted));
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.body().get("id").asInt()).isEqualTo(id);
  }

  @Test
  void sameSchemaUnderTwoSubjectsSharesTheGlobalId() {
    final int id = http.register("alerts-value", Schemas.V1);
    http.register("other-value", Schemas.V2);
    assertThat(http.register("news-value", Schemas.V1)).isEqualTo(id);
    assertVersion(http.get("/subjects/news-value/versions/1").body(), "news-value", 1, id);
    assertThat(http.get("/subjects").body())
        .containsExactly(text("alerts-value"), text("news-value"), text("other-value"));
  }

  @Test
  void urlEncodedSubjectsAreDecoded() {
    final String subject = "team/alerts value+1";
    final int id = http.register(subject, Schemas.V1);
    assertThat(http.get("/subjects").body()).containsExactly(text(subject));
    assertVersion(
        http.get("/subjects/" + encode(subject) + "/versions/latest").body(), subject, 1, id);
  }

  @Test
  void acceptsJsonAndOctetStreamBodies() {
    assertThat(
            http.post("/subjects/a-value/versions", schemaBody(Schemas.V1), "application/json")
                .body()
                .get("id")
                .asInt())
        .isEqualTo(1);
    assertThat(
            http.post(
                    "/subjects/b-value/versions",
                    schemaBody(Schemas.V2),
                    "application/octet-stream")
                .body()
                .get("id")
                .asInt())
        .isEqualTo(2);
    assertThat(
            http.post(
                    "/subjects/c-value/versions",
                    schemaBody(Schemas.V2_NO_DEFAULT),
                    "application/vnd.schemaregistry+json; charset=utf-8")
                .status())
        .isEqualTo(200);
  }

  @Test
  void acceptsAnExplicitAvroSchemaType() {
    final Reply reply =
        http.post(
            "/subjects/alerts-value/versions",
            RegistryHttp.json(Map.of("schema", Schemas.V1, "schemaType", "AVRO")));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("id").asInt()).isEqualTo(1);
  }

  @Test
  void rootAndSchemaTypesAnswerLikeConfluent() {
    assertThat(http.get("/").body().toString()).isEqualTo("{}");
    assertThat(http.get("/schemas/types").body().toString()).isEqualTo("[\"AVRO\"]");
  }

  @Test
  void incompatibleSchemaIsRefusedWithHttp409AndErrorCode40901() {
    http.register("alerts-value", Schemas.V1);
    final Reply reply =
        http.post("/subjects/alerts-value/versions", schemaBody(Schemas.V2_NO_DEFAULT));
    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.contentType()).isEqualTo(RegistryHttp.V1_JSON);
    // Confluent's code since Confluent Platform 8.2.0 (Errors.INCOMPATIBLE_SCHEMA_ERROR_CODE).
    assertThat(reply.errorCode()).isEqualTo(40901);
    assertThat(reply.message())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject"
                + " \"alerts-value\", details: [")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("{oldSchemaVersion: 1}")
        .contains("{compatibility: 'BACKWARD'}")
        .endsWith("]");
    assertThat(http.get("/subjects/alerts-value/versions").body().toString()).isEqualTo("[1]");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void unparseableSchemaIs42201() {
    final Reply reply = http.post("/subjects/alerts-value/versions", schemaBody("{\"type\":\"recor"));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).startsWith("Invalid schema of type AVRO, details: ");

    final Reply badDefault =
        http.post(
            "/subjects/alerts-value/versions",
            schemaBody(Schemas.alert("{\"name\":\"a\",\"type\":\"int\",\"default\":\"nope\"}")));
    assertThat(badDefault.status()).isEqualTo(422);
    assertThat(badDefault.errorCode()).isEqualTo(42201);
    assertThat(http.get("/subjects").body()).isEmpty();
  }

  @Test
  void missingSchemaFieldIs42201() {
    final Reply reply = http.post("/subjects/alerts-value/versions", "{\"schemaType\":\"AVRO\"}");
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("\"schema\"");
  }

  @Test
  void nonAvroSchemaTypeIs42201() {
    final Reply reply =
        http.post(
            "/subjects/alerts-value/versions",
            RegistryHttp.json(Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF")));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message())
        .isEqualTo("Invalid schema type PROTOBUF: this registry supports only AVRO schemas");
  }

  @Test
  void referenceToAVersionTheRegistryLacksIs42201() {
    final Reply reply =
        http.post(
            "/subjects/alerts-value/versions",
            RegistryHttp.json(
                Map.of(
                    "schema",
                    Schemas.V1,
                    "references",
                    List.of(Map.of("name", "X", "subject", "x", "version", 1)))));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("version 1 of subject x");
  }

  @Test
  void lookupOfUnknownSubjectIs40401() {
    final Reply reply = http.post("/subjects/nope", schemaBody(Schemas.V1));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40401);
    assertThat(reply.message()).isEqualTo("Subject 'nope' not found.");
  }

  @Test
  void lookupOfSchemaNotUnderSubjectIs40403() {
    http.register("alerts-value", Schemas.V1);
    http.register("other-value", Schemas.V2);
    final Reply reply = http.post("/subjects/alerts-value", schemaBody(Schemas.V2));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40403);
    assertThat(reply.message()).isEqualTo("Schema not found");
  }

  @Test
  void unknownIdIs40403() {
    final Reply reply = http.get("/schemas/ids/999");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40403);
    assertThat(reply.message()).isEqualTo("Schema 999 not found");
  }

  @Test
  void versionsOfUnknownSubjectIs40401() {
    final Reply list = http.get("/subjects/nope/versions");
    assertThat(list.status()).isEqualTo(404);
    assertThat(list.errorCode()).isEqualTo(40401);
    assertThat(list.message()).isEqualTo("Subject 'nope' not found.");

    final Reply latest = http.get("/subjects/nope/versions/latest");
    assertThat(latest.status()).isEqualTo(404);
    assertThat(latest.errorCode()).isEqualTo(40401);
  }

  @Test
  void unknownVersionIs40402() {
    http.register("alerts-value", Schemas.V1);
    final Reply reply = http.get("/subjects/alerts-value/versions/7");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.errorCode()).isEqualTo(40402);
    assertThat(reply.message()).isEqualTo("Version 7 not found.");
  }

  @Test
  void invalidVersionIs42202() {
    http.register("alerts-value", Schemas.V1);
    for (final String version : List.of("abc", "0", "-2")) {
      final Reply reply = http.get("/subjects/alerts-value/versions/" + version);
      assertThat(reply.status()).as(version).isEqualTo(422);
      assertThat(reply.errorCode()).as(version).isEqualTo(42202);
      assertThat(reply.message())
          .isEqualTo(
              "The specified version '"
                  + version
                  + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
                  + " string \"latest\"");
    }
  }

  @Test
  void minusOneMeansLatestAsInConfluent() {
    http.register("alerts-value", Schemas.V1);
    final int id = http.register("alerts-value", Schemas.V2);
    assertVersion(http.get("/subjects/alerts-value/versions/-1").body(), "alerts-value", 2, id);
  }

  @Test
  void globalConfigDefaultsToBackwardAndCanBeChanged() {
    final Reply initial = http.get("/config");
    assertThat(initial.status()).isEqualTo(200);
    assertThat(initial.body().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

    final Reply put = http.put("/config", "{\"compatibility\":\"full\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().toString()).isEqualTo("{\"compatibility\":\"FULL\"}");
    assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
  }

  @Test
  void subjectConfigIs40408UntilSetUnlessDefaultToGlobal() {
    final Reply unset = http.get("/config/alerts-value");
    assertThat(unset.status()).isEqualTo(404);
    assertThat(unset.errorCode()).isEqualTo(40408);
    assertThat(unset.message())
        .isEqualTo("Subject 'alerts-value' does not have subject-level compatibility configured");

    final Reply fallback = http.get("/config/alerts-value?defaultToGlobal=true");
    assertThat(fallback.status()).isEqualTo(200);
    assertThat(fallback.body().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

    final Reply put = http.put("/config/alerts-value", "{\"compatibility\":\"NONE\"}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().toString()).isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(http.get("/config/alerts-value").body().get("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertThat(http.get("/config").body().get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
  }

  @Test
  void subjectLevelGovernsRegistration() {
    http.register("alerts-value", Schemas.V1);
    http.setLevel("alerts-value", "NONE");
    assertThat(http.register("alerts-value", Schemas.alert(Schemas.A_STRING))).isEqualTo(2);

    http.register("news-value", Schemas.V1);
    assertThat(
            http.post("/subjects/news-value/versions", schemaBody(Schemas.alert(Schemas.A_STRING)))
                .status())
        .isEqualTo(409);
  }

  @Test
  void globalLevelGovernsSubjectsWithoutTheirOwn() {
    http.register("alerts-value", Schemas.V1);
    assertThat(http.put("/config", "{\"compatibility\":\"FORWARD\"}").status()).isEqualTo(200);
    // Adding a field without a default breaks BACKWARD but not FORWARD.
    assertThat(http.register("alerts-value", Schemas.V2_NO_DEFAULT)).isEqualTo(2);
  }

  @Test
  void invalidCompatibilityLevelIs42203() {
    for (final String body :
        List.of("{\"compatibility\":\"SIDEWAYS\"}", "{\"compatibility\":7}", "{}")) {
      for (final String path : List.of("/config", "/config/alerts-value")) {
        final Reply reply = http.put(path, body);
        assertThat(reply.status()).as(path + " " + body).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42203);
        assertThat(reply.message())
            .isEqualTo(
                "Invalid compatibility level. Valid values are none, backward, forward, full,"
                    + " backward_transitive, forward_transitive, and full_transitive");
      }
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void compatibilityAgainstLatestAndAVersion() {
    http.register("alerts-value", Schemas.V1);
    http.setLevel("alerts-value", "NONE");
    http.register("alerts-value", Schemas.alert(Schemas.A_STRING));
    http.setLevel("alerts-value", "BACKWARD");

    // Against latest (a:string), a:int is not readable; against version 1 (a:int) it is.
    final Reply latest =
        http.post("/compatibility/subjects/alerts-value/versions/latest", schemaBody(Schemas.V1));
    assertThat(latest.status()).isEqualTo(200);
    assertThat(latest.body().toString()).isEqualTo("{\"is_compatible\":false}");

    final Reply first =
        http.post("/compatibility/subjects/alerts-value/versions/1", schemaBody(Schemas.V2));
    assertThat(first.body().toString()).isEqualTo("{\"is_compatible\":true}");
  }

  @Test
  void verboseCompatibilityListsTheReasons() {
    http.register("alerts-value", Schemas.V1);
    final Reply reply =
        http.post(
            "/compatibility/subjects/alerts-value/versions/latest?verbose=true",
            schemaBody(Schemas.V2_NO_DEFAULT));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(reply.body().get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("{oldSchemaVersion: 1}");

    final Reply fine =
        http.post(
            "/compatibility/subjects/alerts-value/versions/latest?verbose=true",
            schemaBody(Schemas.V2));
    assertThat(fine.body().toString()).isEqualTo("{\"is_compatible\":true,\"messages\":[]}");
  }

  @Test
  void compatibilityOfUnknownSubjectFollowsConfluent() {
    // Confluent's CompatibilityResource: "latest" of a subject without versions is compatible...
    final Reply latest =
        http.post("/compatibility/subjects/nope/versions/latest", schemaBody(Schemas.V1));
    assertThat(latest.status()).isEqualTo(200);
    assertThat(latest.body().toString()).isEqualTo("{\"is_compatible\":true}");

    // ...while a numbered version that does not exist is 40402, not 40401.
    final Reply numbered =
        http.post("/compatibility/subjects/nope/versions/1", schemaBody(Schemas.V1));
    assertThat(numbered.status()).isEqualTo(404);
    assertThat(numbered.errorCode()).isEqualTo(40402);
    assertThat(numbered.message()).isEqualTo("Version 1 not found.");

    final Reply invalid =
        http.post("/compatibility/subjects/nope/versions/first", schemaBody(Schemas.V1));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42202);
  }

  @Test
  void compatibilityOfInvalidSchemaIs42201OrAVerboseMessage() {
    http.register("alerts-value", Schemas.V1);
    final Reply strict =
        http.post("/compatibility/subjects/alerts-value/versions/latest", schemaBody("nope"));
    assertThat(strict.status()).isEqualTo(422);
    assertThat(strict.errorCode()).isEqualTo(42201);

    final Reply verbose =
        http.post(
            "/compatibility/subjects/alerts-value/versions/latest?verbose=true", schemaBody("nope"));
    assertThat(verbose.status()).isEqualTo(200);
    assertThat(verbose.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.body().get("messages").get(0).asText())
        .startsWith("Invalid schema of type AVRO");
  }

  @Test
  void unknownPathIs404WithErrorBody() {
    for (final String path : List.of("/nope", "/subjects/a/versions/1/extra", "/schemas/ids/abc")) {
      final Reply reply = http.get(path);
      assertThat(reply.status()).as(path).isEqualTo(404);
      assertThat(reply.errorCode()).isEqualTo(404);
      assertThat(reply.message()).isEqualTo("HTTP 404 Not Found");
      assertThat(reply.contentType()).isEqualTo(RegistryHttp.V1_JSON);
    }
  }

  @Test
  void wrongMethodIs405WithErrorBody() {
    final Reply delete = http.method("DELETE", "/subjects");
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.errorCode()).isEqualTo(405);
    assertThat(delete.message()).isEqualTo("HTTP 405 Method Not Allowed");

    final Reply getLookup = http.get("/subjects/alerts-value");
    assertThat(getLookup.status()).isEqualTo(405);
    assertThat(http.post("/config", "{}").status()).isEqualTo(405);
  }

  @Test
  void malformedJsonIs400AndWrongShapeIs422() {
    final Reply malformed = http.post("/subjects/alerts-value/versions", "{\"schema\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorCode()).isEqualTo(400);
    assertThat(malformed.message()).startsWith("Unparseable JSON in the request body: ");

    final Reply array = http.post("/subjects/alerts-value/versions", "[1,2]");
    assertThat(array.status()).isEqualTo(422);
    assertThat(array.errorCode()).isEqualTo(422);
    assertThat(array.message()).isEqualTo("The request body must be a JSON object");

    final Reply empty = http.put("/config", "");
    assertThat(empty.status()).isEqualTo(422);
    assertThat(store.size()).isZero();
  }

  @Test
  void unsupportedRequestContentTypeIs415() {
    final Reply reply =
        http.post("/subjects/alerts-value/versions", schemaBody(Schemas.V1), "text/plain");
    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.errorCode()).isEqualTo(415);
    assertThat(http.get("/subjects").body()).isEmpty();
  }

  @Test
  void aBodyWhoseLengthIsOverTheLimitIs413BeforeItIsSent() throws Exception {
    // The server answers from the length alone. A client that sent the body anyway could see the
    // connection reset under it before reading the answer, as HTTP/1.1 allows a server to close
    // on a body it will not read; this one sends only the head, and reads the answer.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /subjects/alerts-value/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                      + RegistryHttp.V1_JSON
                      + "\r\nContent-Length: "
                      + (16 * 1024 * 1024 + 1024)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      // The answer's head and body may come in more than one read; the body ends with '}'.
      final StringBuilder answer = new StringBuilder();
      final byte[] buffer = new byte[4096];
      int n;
      while (answer.indexOf("}") < 0 && (n = socket.getInputStream().read(buffer)) > 0) {
        answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }

      assertThat(answer.toString()).startsWith("HTTP/1.1 413").contains("\"error_code\":413");
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void aBodyWithoutALengthThatRunsOverTheLimitIs413() throws Exception {
    final byte[] big = new byte[16 * 1024 * 1024 + 1024];
    Arrays.fill(big, (byte) ' ');
    // No length: sent chunked, so the limit is found while reading.
    final HttpResponse<String> reply =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "/subjects/alerts-value/versions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", RegistryHttp.V1_JSON)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(reply.statusCode()).isEqualTo(413);
    assertThat(reply.body()).contains("\"error_code\":413");
    assertThat(store.size()).isZero();
  }

  @Test
  void aMalformedRequestGetsAJsonErrorBody() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("NOT HTTP\u0001\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      final String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 400")
          .contains("Content-Type: " + RegistryHttp.V1_JSON)
          .endsWith("{\"error_code\":400,\"message\":\"HTTP 400 Bad Request\"}");
    }
  }

  @Test
  void concurrentRegistrationsGetDistinctIdsAndVersions() throws Exception {
    http.setLevel("alerts-value", "NONE");
    final int count = 16;
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      final List<Future<Integer>> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        final String schema = Schemas.alert("{\"name\":\"f" + i + "\",\"type\":\"int\"}");
        ids.add(pool.submit(() -> http.register("alerts-value", schema)));
      }
      final Set<Integer> distinct = new HashSet<>();
      for (final Future<Integer> id : ids) {
        distinct.add(id.get(30, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(count).allSatisfy(id -> assertThat(id).isBetween(1, count));
    } finally {
      pool.shutdownNow();
    }
    final JsonNode versions = http.get("/subjects/alerts-value/versions").body();
    assertThat(versions).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(versions.get(i).asInt()).isEqualTo(i + 1);
    }
  }

  @Test
  void replayingTheStoreIntoAFreshServerGivesTheSameState() {
    final int v1 = http.register("alerts-value", Schemas.V1);
    final int v2 = http.register("alerts-value", Schemas.V2);
    final int shared = http.register("news-value", Schemas.V1);
    http.setLevel("news-value", "FULL_TRANSITIVE");
    http.put("/config", "{\"compatibility\":\"FORWARD\"}");
    server.close();

    try (RegistryServer again = RegistryServer.builder().store(store).build()) {
      again.start();
      final RegistryHttp http2 = new RegistryHttp(again.url());
      assertVersion(http2.get("/subjects/alerts-value/versions/1").body(), "alerts-value", 1, v1);
      assertVersion(http2.get("/subjects/alerts-value/versions/2").body(), "alerts-value", 2, v2);
      assertVersion(http2.get("/subjects/news-value/versions/1").body(), "news-value", 1, shared);
      assertThat(http2.register("alerts-value", Schemas.V2)).isEqualTo(v2);
      assertThat(http2.get("/config/news-value").body().get("compatibilityLevel").asText())
          .isEqualTo("FULL_TRANSITIVE");
      assertThat(http2.get("/config").body().get("compatibilityLevel").asText())
          .isEqualTo("FORWARD");
      // New ids continue after the highest one replayed.
      assertThat(http2.register("third-value", Schemas.V2_NO_DEFAULT)).isEqualTo(v2 + 1);
    }
  }

  @Test
  void builderDefaultsAndValidation() {
    try (RegistryServer strict =
        RegistryServer.builder().defaultCompatibility(CompatibilityLevel.FULL).threads(1).build()) {
      strict.start();
      assertThat(new RegistryHttp(strict.url()).get("/config").body().toString())
          .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
      assertThatThrownBy(strict::start).isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> RegistryServer.builder().port(70_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryServer.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryServer.builder().build().url())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closedServerReleasesItsPort() {
    final int port = server.port();
    server.close();
    server.close();
    try (RegistryServer same = RegistryServer.builder().port(port).build()) {
      same.start();
      assertThat(same.port()).isEqualTo(port);
    }
  }

  private static void assertVersion(
      final JsonNode body, final String subject, final int version, final int id) {
    assertThat(body.get("subject").asText()).isEqualTo(subject);
    assertThat(body.get("version").asInt()).isEqualTo(version);
    assertThat(body.get("id").asInt()).isEqualTo(id);
    assertThat(body.get("schema").asText()).isNotBlank();
  }

  private static JsonNode text(final String value) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
  }
}
