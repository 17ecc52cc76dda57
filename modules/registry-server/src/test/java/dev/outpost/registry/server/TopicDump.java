package dev.outpost.registry.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code server/confluent-schemas-topic.tsv}: a {@code _schemas} topic, one record a line. */
final class TopicDump {

  /** One Kafka record: key and value bytes; a null value is a tombstone. */
  record Line(byte[] key, byte[] value) {}

  private TopicDump() {}

  static List<Line> confluentTopic() {
    try (InputStream in = TopicDump.class.getResourceAsStream("/server/confluent-schemas-topic.tsv")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource server/confluent-schemas-topic.tsv");
      }
      final BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      final List<Line> lines = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        final String[] parts = line.split("\t", 2);
        lines.add(
            new Line(
                parts[0].getBytes(StandardCharsets.UTF_8),
                "null".equals(parts[1]) ? null : parts[1].getBytes(StandardCharsets.UTF_8)));
      }
      return lines;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
