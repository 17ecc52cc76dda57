package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.server.RegistryHttp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Avro schema references ({@code references: [{name, subject, version}]}), {@code referencedby},
 * the 42206 refusal of the delete routes, and {@code normalize=true}.
 */
class ReferencesTest {

  /** {@code dev.outpost.test.Location}, a type other schemas refer to by name. */
  private static final String LOCATION =
      "{\"type\":\"record\",\"name\":\"Location\",\"namespace\":\"dev.outpost.test\","
          + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";

  /** An alert whose field has the referenced type, named, not inlined. */
  private static final String SIGHTING =
      "{\"type\":\"record\",\"name\":\"Sighting\",\"namespace\":\"dev.outpost.test\","
          + "\"fields\":[{\"name\":\"where\",\"type\":\"dev.outpost.test.Location\"}]}";

  private static final List<Map<String, Object>> LOCATION_V1 =
      List.of(Map.of("name", "dev.outpost.test.Location", "subject", "location", "version", 1));

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

  @Test
  void registersAResolvableReferenceAndReturnsItEverywhere() {
    // Given
    final int locationId = http.register("location", LOCATION);
    // When
    final Reply registered = register("sightings-value", SIGHTING, LOCATION_V1);
    // Then
    assertThat(registered.status()).isEqualTo(200);
    final int id = registered.body().get("id").asInt();
    assertThat(id).isEqualTo(locationId + 1);

    final Reply version = http.get("/subjects/sightings-value/versions/1");
    assertThat(version.body().fieldNames())
        .toIterable()
        .containsExactly("subject", "version", "id", "references", "schema");
    assertThat(version.body().get("references").toString())
        .isEqualTo(
            "[{\"name\":\"dev.outpost.test.Location\",\"subject\":\"location\",\"version\":1}]");
    // The stored text names the referenced type (in the schema's own namespace, Avro writes the
    // short name); it does not copy the type in.
    assertThat(version.body().get("schema").asText())
        .contains("\"type\":\"Location\"")
        .doesNotContain("city");

    final Reply byId = http.get("/schemas/ids/" + id);
    assertThat(byId.body().get("references")).isEqualTo(version.body().get("references"));
    assertThat(http.get("/schemas/ids/" + locationId).body().has("references")).isFalse();

    final Reply lookup =
        http.post(
            "/subjects/sightings-value",
            RegistryHttp.json(Map.of("schema", SIGHTING, "references", LOCATION_V1)));
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.body().get("id").asInt()).isEqualTo(id);
  }

  @Test
  void aSchemaNamingAnUnreferencedTypeIs42201() {
    http.register("location", LOCATION);
    final Reply reply = register("sightings-value", SIGHTING, List.of());
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
  }

  @Test
  void aBadReferenceIs42201() {
    http.register("location", LOCATION);
    final Reply missingVersion =
        register(
            "sightings-value",
            SIGHTING,
            List.of(Map.of("name", "dev.outpost.test.Location", "subject", "location", "version", 2)));
    assertThat(missingVersion.status()).isEqualTo(422);
    assertThat(missingVersion.errorCode()).isEqualTo(42201);
    final Reply noName =
        register("sightings-value", SIGHTING, List.of(Map.of("subject", "location", "version", 1)));
    assertThat(noName.status()).isEqualTo(422);
    assertThat(noName.errorCode()).isEqualTo(42201);
  }

  @Test
  void latestAsMinusOneResolvesToTheNumberedVersion() {
    http.register("location", LOCATION);
    final Reply reply =
        register(
            "sightings-value",
            SIGHTING,
            List.of(
                Map.of("name", "dev.outpost.test.Location", "subject", "location", "version", -1)));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(
            http.get("/subjects/sightings-value/versions/1")
                .body()
                .get("references")
                .get(0)
                .get("version")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void referencedByListsTheReferringIds() {
    http.register("location", LOCATION);
    final int sighting = register("sightings-value", SIGHTING, LOCATION_V1).body().get("id").asInt();

    final Reply reply = http.get("/subjects/location/versions/1/referencedby");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString()).isEqualTo("[" + sighting + "]");
    assertThat(http.get("/subjects/location/versions/latest/referencedby").body().toString())
        .isEqualTo("[" + sighting + "]");
    assertThat(http.get("/subjects/sightings-value/versions/1/referencedby").body().toString())
        .isEqualTo("[]");
  }

  @Test
  void referencedByOfAMissingVersionIsThatVersionsError() {
    http.register("location", LOCATION);
    assertThat(http.get("/subjects/nope/versions/1/referencedby").errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/location/versions/5/referencedby").errorCode())
        .isEqualTo(40402);
    assertThat(http.get("/subjects/location/versions/x/referencedby").errorCode())
        .isEqualTo(42202);
  }

  @Test
  void deletingAReferencedVersionIsRefusedWith42206() {
    // The check the delete routes make, on the state directly (the routes: tests below).
    final RegistryState state =
        new RegistryState(new InMemorySchemaStore(), CompatibilityLevel.BACKWARD, Duration.ofSeconds(2));
    state.load();
    state.register("location", new RegistryState.SchemaRequest(LOCATION, null));
    final int referring =
        state.register(
            "sightings-value",
            new RegistryState.SchemaRequest(
                SIGHTING,
                null,
                List.of(new StoreRecord.Reference("dev.outpost.test.Location", "location", 1)),
                null,
                null));

    assertThat(state.referencedBy("location", 1)).containsExactly(referring);
    assertThatThrownBy(() -> state.checkNotReferenced("location", 1, false))
        .isInstanceOfSatisfying(
            RestError.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.errorCode()).isEqualTo(42206);
            });
    // The referring version itself is referenced by nothing.
    state.checkNotReferenced("sightings-value", 1, true);
    state.close();
  }

  @Test
  void theDeleteRoutesRefuseAReferencedVersionWith42206() {
    // Given: sightings-value v1 references location v1
    http.register("location", LOCATION);
    assertThat(register("sightings-value", SIGHTING, LOCATION_V1).status()).isEqualTo(200);

    // Then: neither the version nor its subject can be soft-deleted while the referrer is live
    for (final String path : new String[] {"/subjects/location/versions/1", "/subjects/location"}) {
      final Reply refused = http.method("DELETE", path);
      assertThat(refused.status()).as(path).isEqualTo(422);
      assertThat(refused.errorCode()).as(path).isEqualTo(42206);
    }
    assertThat(http.get("/subjects/location/versions").body().toString()).isEqualTo("[1]");

    // When the referrer is soft-deleted, a soft delete goes through
    assertThat(http.method("DELETE", "/subjects/sightings-value").status()).isEqualTo(200);
    assertThat(http.method("DELETE", "/subjects/location/versions/1").status()).isEqualTo(200);
    // but a permanent delete still counts the soft-deleted referrer
    final Reply permanent =
        http.method("DELETE", "/subjects/location/versions/1?permanent=true");
    assertThat(permanent.status()).isEqualTo(422);
    assertThat(permanent.errorCode()).isEqualTo(42206);
    assertThat(http.method("DELETE", "/subjects/location?permanent=true").errorCode())
        .isEqualTo(42206);

    // Once the referrer is gone for good, so may the referenced version be
    assertThat(http.method("DELETE", "/subjects/sightings-value?permanent=true").status())
        .isEqualTo(200);
    assertThat(
            http.method("DELETE", "/subjects/location/versions/1?permanent=true").body().toString())
        .isEqualTo("1");
  }

  @Test
  void aSubjectWhoseVersionsReferenceEachOtherIsDeletedWhole() {
    // Given: version 2 of "shapes" references version 1 of the same subject
    http.setLevel("shapes", "NONE");
    http.register("shapes", LOCATION);
    assertThat(
            register(
                    "shapes",
                    SIGHTING,
                    List.of(
                        Map.of(
                            "name", "dev.outpost.test.Location", "subject", "shapes", "version", 1)))
                .status())
        .isEqualTo(200);
    // Then: version 1 alone is refused
    assertThat(http.method("DELETE", "/subjects/shapes/versions/1").errorCode()).isEqualTo(42206);
    // but the subject goes whole, soft and then permanently, as in Confluent's registry
    final Reply soft = http.method("DELETE", "/subjects/shapes");
    assertThat(soft.status()).isEqualTo(200);
    assertThat(soft.body().toString()).isEqualTo("[1,2]");
    final Reply permanent = http.method("DELETE", "/subjects/shapes?permanent=true");
    assertThat(permanent.status()).isEqualTo(200);
    assertThat(permanent.body().toString()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects?deleted=true").body().toString()).isEqualTo("[]");
  }

  @Test
  void theSameTextWithOtherReferencesIsAnotherSchema() {
    http.register("location", LOCATION);
    final String location2 = LOCATION.replace("string\"}", "string\",\"doc\":\"v2\"}");
    http.register("location", location2);
    final int first = register("a-value", SIGHTING, LOCATION_V1).body().get("id").asInt();
    final int second =
        register(
                "b-value",
                SIGHTING,
                List.of(
                    Map.of("name", "dev.outpost.test.Location", "subject", "location", "version", 2)))
            .body()
            .get("id")
            .asInt();
    assertThat(second).isNotEqualTo(first);
    assertThat(register("c-value", SIGHTING, LOCATION_V1).body().get("id").asInt())
        .isEqualTo(first);
  }

  @Test
  void normalizeMakesPropertyOrderIrrelevant() {
    final String ab =
        "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}],"
            + "\"x\":\"1\",\"y\":\"2\"}";
    final String ba =
        "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}],"
            + "\"y\":\"2\",\"x\":\"1\"}";
    // Given: registered normalized
    final Reply registered = http.post("/subjects/n-value/versions?normalize=true", RegistryHttp.schemaBody(ab));
    assertThat(registered.status()).isEqualTo(200);
    final int id = registered.body().get("id").asInt();
    // Then: the stored text is the normalized form: name first, properties sorted
    assertThat(http.get("/schemas/ids/" + id + "/schema").body().toString())
        .isEqualTo(
            "{\"name\":\"N\",\"type\":\"record\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}],"
                + "\"x\":\"1\",\"y\":\"2\"}");
    // A lookup of the other order finds it only when normalizing
    assertThat(http.post("/subjects/n-value", RegistryHttp.schemaBody(ba)).errorCode())
        .isEqualTo(40403);
    final Reply normalized = http.post("/subjects/n-value?normalize=true", RegistryHttp.schemaBody(ba));
    assertThat(normalized.status()).isEqualTo(200);
    assertThat(normalized.body().get("id").asInt()).isEqualTo(id);
    // Registering the other order normalized is the same version
    assertThat(
            http.post("/subjects/n-value/versions?normalize=true", RegistryHttp.schemaBody(ba))
                .body()
                .get("id")
                .asInt())
        .isEqualTo(id);
    assertThat(http.get("/subjects/n-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void normalizedFormWritesFullNamesAndDropsTheNamespace() {
    final String nested =
        "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"ns\",\"fields\":["
            + "{\"name\":\"in\",\"type\":{\"type\":\"record\",\"name\":\"Inner\",\"fields\":["
            + "{\"name\":\"v\",\"type\":\"long\",\"default\":0}]}},"
            + "{\"name\":\"again\",\"type\":\"Inner\"}]}";
    final Reply registered =
        http.post("/subjects/o-value/versions?normalize=true", RegistryHttp.schemaBody(nested));
    assertThat(registered.status()).isEqualTo(200);
    assertThat(http.get("/subjects/o-value/versions/1/schema").body().toString())
        .isEqualTo(
            "{\"name\":\"ns.Outer\",\"type\":\"record\",\"fields\":["
                + "{\"name\":\"in\",\"type\":{\"name\":\"ns.Inner\",\"type\":\"record\",\"fields\":["
                + "{\"name\":\"v\",\"type\":\"long\",\"default\":0}]}},"
                + "{\"name\":\"again\",\"type\":\"ns.Inner\"}]}");
  }

  private Reply register(
      final String subject, final String schema, final List<Map<String, Object>> references) {
    return http.post(
        "/subjects/" + subject + "/versions",
        RegistryHttp.json(Map.of("schema", schema, "references", references)));
  }
}
