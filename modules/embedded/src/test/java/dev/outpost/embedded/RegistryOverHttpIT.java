package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.IncompatibleSchemaException;
import dev.outpost.registry.RegisteredSchema;
import dev.outpost.registry.RegistryClientConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against the embedded registry over real HTTP, on a real broker: register,
 * look up, check compatibility, refuse an incompatible schema with HTTP 409 (error code 40901),
 * and find the same ids after the whole stack restarts on its data directory.
 */
class RegistryOverHttpIT {

  private static final String SUBJECT = Topics.NEWS_ITEMS.name() + "-value";

  @TempDir Path dataDir;

  /** NewsItem plus an optional field: BACKWARD compatible. */
  private static Schema withOptionalField() {
    return newsItemPlus(
        new Schema.Field(
            "region",
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
            "added in a later version",
            Schema.Field.NULL_DEFAULT_VALUE));
  }

  /** NewsItem plus a required field without default: not BACKWARD compatible. */
  private static Schema withRequiredField() {
    return newsItemPlus(new Schema.Field("severity", Schema.create(Schema.Type.INT)));
  }

  private static Schema newsItemPlus(final Schema.Field extra) {
    final Schema current = NewsItem.getClassSchema();
    final List<Schema.Field> fields = new ArrayList<>();
    for (final Schema.Field field : current.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(extra);
    return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  @Test
  void registersLooksUpChecksRefusesAndKeepsIdsAcrossARestart() throws Exception {
    final Schema v1 = NewsItem.getClassSchema();
    final Schema v2 = withOptionalField();
    final Schema incompatible = withRequiredField();
    final int id1;
    final int id2;

    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dataDir).build().start();
        HttpSchemaRegistryClient client =
            new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      id1 = client.register(SUBJECT, v1);
      assertThat(client.register(SUBJECT, v1)).as("registering again").isEqualTo(id1);
      assertThat(client.getById(id1)).isEqualTo(v1);
      final RegisteredSchema found = client.lookup(SUBJECT, v1);
      assertThat(found.id()).isEqualTo(id1);
      assertThat(found.version()).isEqualTo(1);

      assertThat(client.testCompatibility(SUBJECT, v2)).isEmpty();
      assertThat(client.testCompatibility(SUBJECT, incompatible))
          .isNotEmpty()
          .anySatisfy(reason -> assertThat(reason).contains("severity"));

      id2 = client.register(SUBJECT, v2);
      assertThat(id2).isNotEqualTo(id1);
      assertThat(client.versions(SUBJECT)).containsExactly(1, 2);

      assertThatThrownBy(() -> client.register(SUBJECT, incompatible))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContaining(SUBJECT)
          .satisfies(e -> assertThat(((IncompatibleSchemaException) e).errorCode()).isEqualTo(40901));
      assertThat(rawRegisterStatus(stack.registryUrl(), incompatible)).isEqualTo(409);
      assertThat(client.versions(SUBJECT)).as("nothing registered by the refusal").containsExactly(1, 2);
    }

    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dataDir).build().start();
        HttpSchemaRegistryClient client =
            new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      assertThat(client.getById(id1)).isEqualTo(v1);
      assertThat(client.getById(id2)).isEqualTo(v2);
      assertThat(client.lookup(SUBJECT, v2).id()).isEqualTo(id2);
      assertThat(client.versions(SUBJECT)).containsExactly(1, 2);
      assertThat(client.latest(SUBJECT).id()).isEqualTo(id2);

      final int next = client.register(Topics.ALERTS_PARADE.name() + "-value", dev.outpost.model.Alert.getClassSchema());
      assertThat(next).as("a new schema after the restart gets a fresh id").isNotIn(id1, id2);
    }
  }

  /** The same refusal seen at the HTTP level, without the client's mapping. */
  private static int rawRegisterStatus(final String registryUrl, final Schema schema) throws Exception {
    final String body =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(java.util.Map.of("schema", schema.toString()));
    final HttpRequest request =
        HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + SUBJECT + "/versions"))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
