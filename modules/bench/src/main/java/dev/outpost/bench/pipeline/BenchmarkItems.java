package dev.outpost.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The items the end-to-end benchmarks publish: each a real title over 1–3 KB of real news
 * excerpts, so the classifier and the serdes see realistic text and sizes, and the same number
 * always gives the same item.
 */
public final class BenchmarkItems {

  private BenchmarkItems() {}

  /**
   * Reads real news excerpts from JSON Lines on the classpath, such as the CLI's bundled samples.
   *
   * @param loader the class loader whose classpath holds the resource
   * @param resource the JSON Lines resource: one object a line with a {@code title} and a {@code
   *     body}
   * @return its excerpts, as (title, body) pairs in the order of the lines
   * @throws IllegalStateException when the resource is missing
   * @throws UncheckedIOException when it cannot be read or a line is not JSON
   */
  public static List<String[]> excerpts(final ClassLoader loader, final String resource) {
    final List<String[]> pairs = new ArrayList<>();
    for (final JsonNode n : jsonLines(loader, resource, "The bundled sample " + resource + " is missing from the jar")) {
      pairs.add(new String[] {n.path("title").asText(), n.path("body").asText()});
    }
    return pairs;
  }

  /**
   * @param loader the class loader whose classpath holds the resource
   * @param resource a JSON Lines resource
   * @param missing what to say when it is not there
   * @return its objects, one a non-blank line, in order
   * @throws IllegalStateException saying {@code missing} when the resource is not there
   * @throws UncheckedIOException when it cannot be read or a line is not JSON
   */
  static List<JsonNode> jsonLines(final ClassLoader loader, final String resource, final String missing) {
    final ObjectMapper json = new ObjectMapper();
    final List<JsonNode> nodes = new ArrayList<>();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(missing);
      }
      for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (!line.isBlank()) {
          nodes.add(json.readTree(line));
        }
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodes;
  }

  /**
   * @param excerpts real news excerpts as (title, body) pairs, at least one
   * @return after how many numbers {@link #item} gives the same title and body again: an item's
   *     text depends only on its number modulo the excerpts and modulo the three sizes
   */
  public static int period(final List<String[]> excerpts) {
    final int n = excerpts.size();
    if (n < 1) {
      throw new IllegalArgumentException("no excerpts");
    }
    return n % 3 == 0 ? n : n * 3;
  }

  /**
   * @param excerpts real news excerpts as (title, body) pairs, at least one
   * @param prefix the id's prefix
   * @param n the item's number
   * @param published its publication time, also its ingestion time
   * @return item {@code <prefix>-<n>}: the title of excerpt {@code n}, over its body and more
   *     excerpts until the body is 1, 2 or 3 KB long (by {@code n} modulo 3)
   */
  public static NewsItem item(final List<String[]> excerpts, final String prefix, final int n, final Instant published) {
    final String[] head = excerpts.get(n % excerpts.size());
    final int target = 1024 + (n % 3) * 1024;
    final StringBuilder body = new StringBuilder(head[1]);
    for (int k = 1; body.length() < target; k++) {
      body.append("\n\n").append(excerpts.get((n + 7 * k) % excerpts.size())[1]);
    }
    return NewsItem.newBuilder()
        .setId(prefix + "-" + n)
        .setSource("outpost-bench")
        .setTitle(head[0])
        .setBody(body.toString())
        .setPublishedAt(published)
        .setIngestedAt(published)
        .build();
  }
}
