package dev.outpost.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Talks to a {@link RegistryServer} over real HTTP, as a registry client would. */
final class RegistryHttp {

  static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  /** An answer: status, content type and the parsed JSON body. */
  record Reply(int status, String contentType, JsonNode body) {
    int errorCode() {
      return body.path("error_code").asInt(-1);
    }

    String message() {
      return body.path("message").asText();
    }
  }

  RegistryHttp(final String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Reply get(final String path) {
    return send(request(path).GET().build());
  }

  Reply post(final String path, final String body) {
    return post(path, body, V1_JSON);
  }

  Reply post(final String path, final String body, final String contentType) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply put(final String path, final String body) {
    return send(
        request(path)
            .header("Content-Type", V1_JSON)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply method(final String method, final String path) {
    return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  /** Registers a schema and returns its id, failing unless the registry answers 200. */
  int register(final String subject, final String schema) {
    final Reply reply = post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    if (reply.status() != 200) {
      throw new AssertionError("register failed: " + reply);
    }
    return reply.body().get("id").asInt();
  }

  /** Sets a subject's compatibility level, failing unless the registry answers 200. */
  void setLevel(final String subject, final String level) {
    final Reply reply = put("/config/" + encode(subject), "{\"compatibility\":\"" + level + "\"}");
    if (reply.status() != 200) {
      throw new AssertionError("set level failed: " + reply);
    }
  }

  /** The request body {@code {"schema":"..."}} for a schema. */
  static String schemaBody(final String schema) {
    return json(Map.of("schema", schema));
  }

  static String json(final Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Percent-encodes a path segment (a space as %20, a plus as %2B). */
  static String encode(final String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(final String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", V1_JSON);
  }

  private Reply send(final HttpRequest request) {
    try {
      final HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString());
      final String body = response.body();
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          body.isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(body));
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
