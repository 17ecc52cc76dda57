package dev.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.model.Alert;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.ScriptedRegistry.Reply;
import dev.outpost.registry.ScriptedRegistry.Request;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpSchemaRegistryClientTest {

  private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema NEWS = NewsItem.getClassSchema();

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private ScriptedRegistry registry;

  @AfterEach
  void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private HttpSchemaRegistryClient clientFor(final Function<Request, Reply> handler) throws Exception {
    registry = ScriptedRegistry.start(handler);
    return client(RegistryClientConfig.of(registry.url()));
  }

  private HttpSchemaRegistryClient client(final RegistryClientConfig config) {
    return new HttpSchemaRegistryClient(
        config.withRetries(3, Duration.ofMillis(10), Duration.ofMillis(1000)), sleeps::add);
  }

  private static String schemaJson(final Schema schema) throws Exception {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  @Test
  void registerPostsTheSchemaToTheSubjectsVersionsWithTheRegistryMediaType() throws Exception {
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok("{\"id\":7}"));

    final int id = client.register("news.items.v1-value", NEWS);

    assertThat(id).isEqualTo(7);
    final Request request = registry.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.rawPath()).isEqualTo("/subjects/news.items.v1-value/versions");
    assertThat(request.rawQuery()).isNull();
    assertThat(request.header("Content-Type")).isEqualTo(MEDIA_TYPE);
    assertThat(request.header("Accept")).isEqualTo(MEDIA_TYPE);
    assertThat(request.header("Authorization")).isNull();
    final JsonNode body = JSON.readTree(request.body());
    // Avro is the default type: Confluent's own serializer sends no schemaType for it.
    assertThat(body.has("schemaType")).isFalse();
    assertThat(body.size()).isEqualTo(1);
    assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(NEWS);
  }

  @Test
  void registerIsCachedPerSubjectAndSchemaAndFillsTheIdCache() throws Exception {
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok("{\"id\":7}"));

    client.register("news.items.v1-value", NEWS);
    client.register("news.items.v1-value", NEWS);
    final Schema byId = client.getById(7);

    assertThat(registry.requests()).hasSize(1);
    assertThat(byId).isEqualTo(NEWS);

    client.register("other-value", NEWS);
    assertThat(registry.requests()).hasSize(2);
    assertThat(registry.requests().get(1).rawPath()).isEqualTo("/subjects/other-value/versions");
  }

  @Test
  void getByIdFetchesOnceThenServesFromTheCache() throws Exception {
    final String answer = schemaJson(NEWS);
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok(answer));

    final Schema first = client.getById(42);
    final Schema second = client.getById(42);

    assertThat(first).isEqualTo(NEWS);
    assertThat(second).isSameAs(first);
    assertThat(registry.requests()).extracting(Request::line).containsExactly("GET /schemas/ids/42");
    assertThat(registry.requests().get(0).header("Accept")).isEqualTo(MEDIA_TYPE);
    assertThat(registry.requests().get(0).header("Content-Type")).isNull();
  }

  @Test
  void cacheCapacityBoundsTheIdCache() throws Exception {
    final String answer = schemaJson(NEWS);
    registry = ScriptedRegistry.start(request -> Reply.ok(answer));
    final HttpSchemaRegistryClient client =
        client(RegistryClientConfig.of(registry.url()).withCacheCapacity(1));

    client.getById(1);
    client.getById(2);
    client.getById(1);

    // Capacity 1: fetching id 2 evicted id 1, so it is fetched again.
    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly("GET /schemas/ids/1", "GET /schemas/ids/2", "GET /schemas/ids/1");
  }

  @Test
  void lookupPostsToTheSubjectAndReadsIdAndVersion() throws Exception {
    final String answer =
        JSON.createObjectNode()
            .put("subject", "news.items.v1-value")
            .put("id", 3)
            .put("version", 2)
            .put("schema", NEWS.toString())
            .toString();
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok(answer));

    final RegisteredSchema found = client.lookup("news.items.v1-value", NEWS);
    client.lookup("news.items.v1-value", NEWS);

    assertThat(found).isEqualTo(new RegisteredSchema("news.items.v1-value", 3, 2, NEWS));
    assertThat(registry.requests()).hasSize(1);
    final Request request = registry.requests().get(0);
    assertThat(request.line()).isEqualTo("POST /subjects/news.items.v1-value");
    assertThat(request.header("Content-Type")).isEqualTo(MEDIA_TYPE);
    assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(NEWS.toString());
  }

  @Test
  void subjectsAndVersionsAreListed() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(
            request ->
                request.rawPath().equals("/subjects")
                    ? Reply.ok("[\"a-value\",\"b-value\"]")
                    : Reply.ok("[1,2,5]"));

    assertThat(client.subjects()).containsExactly("a-value", "b-value");
    assertThat(client.versions("a-value")).containsExactly(1, 2, 5);
    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly("GET /subjects", "GET /subjects/a-value/versions");
  }

  @Test
  void versionAndLatestReadTheSubjectVersionEndpoint() throws Exception {
    final Schema alert = Alert.getClassSchema();
    final String answer =
        JSON.createObjectNode()
            .put("subject", "alerts-value")
            .put("id", 11)
            .put("version", 4)
            .put("schema", alert.toString())
            .toString();
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok(answer));

    final RegisteredSchema v4 = client.version("alerts-value", 4);
    final RegisteredSchema latest = client.latest("alerts-value");

    assertThat(v4).isEqualTo(new RegisteredSchema("alerts-value", 11, 4, alert));
    assertThat(latest).isEqualTo(v4);
    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly(
            "GET /subjects/alerts-value/versions/4", "GET /subjects/alerts-value/versions/latest");
    // The schema of a fetched version is cached by id.
    assertThat(client.getById(11)).isEqualTo(alert);
    assertThat(registry.requests()).hasSize(2);
  }

  @Test
  void compatibilityIsTestedVerboselyAgainstLatestOrAVersion() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(
            request ->
                request.rawPath().endsWith("/latest")
                    ? Reply.ok("{\"is_compatible\":true}")
                    : Reply.ok("{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE\",\"x\"]}"));

    assertThat(client.testCompatibility("news-value", NEWS)).isEmpty();
    assertThat(client.testCompatibility("news-value", 3, NEWS))
        .containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE", "x");
    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly(
            "POST /compatibility/subjects/news-value/versions/latest?verbose=true",
            "POST /compatibility/subjects/news-value/versions/3?verbose=true");
    assertThat(registry.requests().get(1).header("Content-Type")).isEqualTo(MEDIA_TYPE);
    assertThat(JSON.readTree(registry.requests().get(1).body()).get("schema").asText())
        .isEqualTo(NEWS.toString());
  }

  @Test
  void incompatibleWithoutMessagesStillReportsAReason() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(request -> Reply.ok("{\"is_compatible\":false}"));

    assertThat(client.testCompatibility("news-value", NEWS)).hasSize(1);
  }

  @Test
  void compatibilityLevelsAreReadAndWrittenOnTheConfigEndpoints() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(
            request -> {
              if (request.method().equals("GET")) {
                return Reply.ok(
                    request.rawPath().equals("/config")
                        ? "{\"compatibilityLevel\":\"FULL\"}"
                        : "{\"compatibilityLevel\":\"NONE\"}");
              }
              return Reply.ok(request.body());
            });

    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(client.subjectCompatibility("news value")).isEqualTo(CompatibilityLevel.NONE);
    client.setGlobalCompatibility(CompatibilityLevel.FORWARD_TRANSITIVE);
    client.setSubjectCompatibility("news value", CompatibilityLevel.FULL);

    final List<Request> requests = registry.requests();
    assertThat(requests)
        .extracting(Request::line)
        .containsExactly(
            "GET /config",
            "GET /config/news%20value?defaultToGlobal=true",
            "PUT /config",
            "PUT /config/news%20value");
    assertThat(JSON.readTree(requests.get(2).body()))
        .isEqualTo(JSON.readTree("{\"compatibility\":\"FORWARD_TRANSITIVE\"}"));
    assertThat(JSON.readTree(requests.get(3).body()))
        .isEqualTo(JSON.readTree("{\"compatibility\":\"FULL\"}"));
    assertThat(requests.get(3).header("Content-Type")).isEqualTo(MEDIA_TYPE);
  }

  @Test
  void subjectWithoutItsOwnLevelFallsBackToTheGlobalOneOnOlderRegistries() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(
            request ->
                request.rawPath().equals("/config")
                    ? Reply.ok("{\"compatibilityLevel\":\"FORWARD\"}")
                    : Reply.error(404, 40408, "Subject 'x' does not have subject-level compatibility configured"));

    assertThat(client.subjectCompatibility("x")).isEqualTo(CompatibilityLevel.FORWARD);
  }

  @Test
  void subjectNamesArePercentEncodedAsOnePathSegment() throws Exception {
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok("{\"id\":1}"));

    client.register("team a/news?x=1&y%ü", NEWS);

    assertThat(registry.requests().get(0).rawPath())
        .isEqualTo("/subjects/team%20a%2Fnews%3Fx%3D1%26y%25%C3%BC/versions");
    assertThat(registry.requests().get(0).rawQuery()).isNull();
  }

  @Test
  void basicAuthSendsTheUserInfoBase64Encoded() throws Exception {
    registry = ScriptedRegistry.start(request -> Reply.ok("[]"));
    final HttpSchemaRegistryClient client =
        client(RegistryClientConfig.of(registry.url()).withBasicAuth("user", "pass"));

    client.subjects();

    // base64("user:pass") = dXNlcjpwYXNz
    assertThat(registry.requests().get(0).header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
  }

  @Test
  void bearerAuthSendsTheToken() throws Exception {
    registry = ScriptedRegistry.start(request -> Reply.ok("[]"));
    final HttpSchemaRegistryClient client =
        client(RegistryClientConfig.of(registry.url()).withBearerToken("tok-123"));

    client.subjects();

    assertThat(registry.requests().get(0).header("Authorization")).isEqualTo("Bearer tok-123");
  }

  @Test
  void credentialsFromPropertiesReachTheRegistry() throws Exception {
    registry = ScriptedRegistry.start(request -> Reply.ok("[]"));
    final HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.fromProperties(
                java.util.Map.of(
                    "schema.registry.url", registry.url(),
                    "basic.auth.credentials.source", "USER_INFO",
                    "basic.auth.user.info", "user:pass")));

    client.subjects();

    assertThat(registry.requests().get(0).header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
  }

  static Stream<Arguments> errorCodes() {
    return Stream.of(
        Arguments.of(404, 40401, "Subject 'news-value' not found.", SubjectNotFoundException.class),
        Arguments.of(404, 40402, "Version 5 not found.", VersionNotFoundException.class),
        Arguments.of(404, 40403, "Schema not found", SchemaNotFoundException.class),
        Arguments.of(409, 409, "Schema being registered is incompatible", IncompatibleSchemaException.class),
        Arguments.of(409, 40901, "Incompatible schema", IncompatibleSchemaException.class),
        Arguments.of(422, 42201, "Invalid schema", InvalidSchemaException.class),
        Arguments.of(422, 42202, "Invalid version", InvalidSchemaException.class),
        Arguments.of(422, 42203, "Invalid compatibility level", InvalidSchemaException.class),
        Arguments.of(401, 40101, "Unauthorized", SchemaRegistryException.class),
        Arguments.of(403, 40301, "User is denied operation Read on Subject", SchemaRegistryException.class),
        Arguments.of(500, 50001, "Error in the backend data store", RegistryServerException.class));
  }

  @ParameterizedTest(name = "HTTP {0} error_code {1} -> {3}")
  @MethodSource("errorCodes")
  void errorCodesMapToTypedExceptionsNamingTheRequest(
      final int status,
      final int code,
      final String message,
      final Class<? extends SchemaRegistryException> type)
      throws Exception {
    registry = ScriptedRegistry.start(request -> Reply.error(status, code, message));
    final HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.of(registry.url())
                .withRetries(0, Duration.ZERO, Duration.ZERO),
            sleeps::add);

    final SchemaRegistryException thrown =
        catchThrowableOfType(SchemaRegistryException.class, () -> client.version("news-value", 5));

    assertThat(thrown).isExactlyInstanceOf(type);
    assertThat(thrown.errorCode()).isEqualTo(code);
    assertThat(thrown.getMessage())
        .contains("GET")
        .contains("/subjects/news-value/versions/5")
        .contains(message)
        .contains(Integer.toString(code));
  }

  @Test
  void anErrorWithoutTheRegistrysJsonBodyIsNotMistakenForAMissingSubject() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(request -> new Reply(404, "<html>Not Found</html>"));

    final SchemaRegistryException thrown =
        catchThrowableOfType(SchemaRegistryException.class, () -> client.latest("news-value"));

    assertThat(thrown).isExactlyInstanceOf(SchemaRegistryException.class);
    assertThat(thrown.errorCode()).isEqualTo(404);
    assertThat(thrown.getMessage())
        .contains("GET")
        .contains("/subjects/news-value/versions/latest")
        .contains("<html>Not Found</html>");
  }

  @Test
  void clientErrorsAreNotRetried() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(request -> Reply.error(404, 40403, "Schema 9 not found"));

    assertThatThrownBy(() -> client.getById(9)).isInstanceOf(SchemaNotFoundException.class);
    assertThat(registry.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void serverErrorsAreRetriedWithExponentialBackoffUntilSuccess() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(
            ScriptedRegistry.sequence(
                Reply.error(503, 50003, "Error while forwarding the request to the leader"),
                Reply.error(500, 50001, "Error in the backend data store"),
                Reply.ok("{\"id\":3}")));

    final int id = client.register("news-value", NEWS);

    assertThat(id).isEqualTo(3);
    assertThat(registry.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
  }

  @Test
  void exhaustedRetriesEndInRegistryServerExceptionWithTheLastAnswer() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(request -> Reply.error(503, 50003, "Error while forwarding the request to the leader"));

    final RegistryServerException thrown =
        catchThrowableOfType(RegistryServerException.class, () -> client.register("news-value", NEWS));

    // maxRetries 3: the first attempt and three retries.
    assertThat(registry.requests()).hasSize(4);
    assertThat(sleeps)
        .containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
    assertThat(thrown.errorCode()).isEqualTo(50003);
    assertThat(thrown.getMessage())
        .contains("POST /subjects/news-value/versions")
        .contains("failed after 4 attempts")
        .contains("HTTP 503")
        .contains("Error while forwarding the request to the leader");
  }

  @Test
  void backoffDoublesUpToTheMaximum() throws Exception {
    registry = ScriptedRegistry.start(request -> Reply.error(502, 50002, "timeout"));
    final HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.of(registry.url())
                .withRetries(5, Duration.ofMillis(10), Duration.ofMillis(25)),
            sleeps::add);

    assertThatThrownBy(() -> client.getById(1)).isInstanceOf(RegistryServerException.class);

    assertThat(sleeps)
        .containsExactly(
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            Duration.ofMillis(25),
            Duration.ofMillis(25),
            Duration.ofMillis(25));
  }

  @Test
  void anUnreachableUrlFailsOverToTheNextWithoutWaiting() throws Exception {
    final String answer = schemaJson(NEWS);
    registry = ScriptedRegistry.start(request -> Reply.ok(answer));
    final HttpSchemaRegistryClient client =
        client(RegistryClientConfig.of(ScriptedRegistry.deadUrl(), registry.url()));

    assertThat(client.getById(1)).isEqualTo(NEWS);
    assertThat(client.getById(2)).isEqualTo(NEWS);

    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly("GET /schemas/ids/1", "GET /schemas/ids/2");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void whenNoUrlIsReachableTheIoErrorIsRetriedThenReported() throws Exception {
    final HttpSchemaRegistryClient client =
        client(RegistryClientConfig.of(ScriptedRegistry.deadUrl(), ScriptedRegistry.deadUrl()));

    final RegistryServerException thrown =
        catchThrowableOfType(RegistryServerException.class, () -> client.getById(1));

    assertThat(sleeps).hasSize(3);
    assertThat(thrown.getMessage()).contains("GET /schemas/ids/1").contains("I/O error");
    assertThat(thrown.getCause()).isInstanceOf(ConnectException.class);
    assertThat(thrown.errorCode()).isEqualTo(-1);
  }

  @Test
  void aRegistryThatDoesNotAnswerInTimeIsAnIoFailure() throws Exception {
    final CountDownLatch release = new CountDownLatch(1);
    registry =
        ScriptedRegistry.start(
            request -> {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Reply.ok("{\"id\":1}");
            });
    final HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.of(registry.url())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200))
                .withRetries(0, Duration.ZERO, Duration.ZERO),
            sleeps::add);
    try {
      final RegistryServerException thrown =
          catchThrowableOfType(RegistryServerException.class, () -> client.register("s", NEWS));

      assertThat(thrown.getCause()).isInstanceOf(HttpTimeoutException.class);
      assertThat(thrown.getMessage()).contains("failed after 1 attempt");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aSuccessBodyThatIsNotJsonIsAServerError() throws Exception {
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok("surprise"));

    final RegistryServerException thrown =
        catchThrowableOfType(RegistryServerException.class, () -> client.subjects());

    assertThat(thrown.errorCode()).isEqualTo(50005);
    assertThat(thrown.getMessage()).contains("GET").contains("/subjects").contains("surprise");
  }

  @Test
  void aSchemaOfAnotherTypeIsRefused() throws Exception {
    final HttpSchemaRegistryClient client =
        clientFor(
            request ->
                Reply.ok("{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"));

    assertThatThrownBy(() -> client.getById(5))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("/schemas/ids/5")
        .hasMessageContaining("PROTOBUF");
  }

  @Test
  void closeEmptiesTheCaches() throws Exception {
    final String answer = schemaJson(NEWS);
    final HttpSchemaRegistryClient client = clientFor(request -> Reply.ok(answer));

    client.getById(1);
    client.close();
    client.getById(1);

    assertThat(registry.requests()).hasSize(2);
  }
}
