package dev.outpost.ingest.redrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How far the redrives of one partition of a dead-letter topic have got, reason by reason: every
 * dead letter of a reason below its mark has been dealt with (sent back, or passed over on
 * purpose), so no later redrive sends it again. Reasons without a mark of their own share the
 * common one. Kept as the metadata of the redrive's committed offset, written in the same
 * transaction as the records it sent:
 *
 * <pre>{@code
 * {"v":1,"all":120,"by":{"unknown_schema_id":164}}
 * }</pre>
 *
 * <p>A mark per reason is what lets {@code redrive --reason A} now and {@code redrive --reason B}
 * next week both find their dead letters: a single position would have passed B's over with A's.
 * Immutable.
 *
 * @param all the mark of every reason without one of its own
 * @param byReason the reasons whose mark differs from {@code all}
 */
record RedriveMarks(long all, Map<String, Long> byReason) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  /** Copies the map, sorted, without the marks that equal {@code all}. */
  RedriveMarks {
    final Map<String, Long> kept = new TreeMap<>();
    byReason.forEach(
        (reason, mark) -> {
          if (mark != all) {
            kept.put(Objects.requireNonNull(reason, "reason"), mark);
          }
        });
    byReason = java.util.Collections.unmodifiableMap(kept);
  }

  /**
   * @param offset where every reason stands
   * @return marks with no reason apart
   */
  static RedriveMarks at(final long offset) {
    return new RedriveMarks(offset, Map.of());
  }

  /**
   * @param reason a dead letter's reason
   * @return the offset below which that reason's dead letters have been dealt with
   */
  long of(final String reason) {
    return byReason.getOrDefault(reason, all);
  }

  /**
   * @param reasons the reasons of a redrive; empty for every reason
   * @return the lowest mark among them, where a redrive of them must start reading
   */
  long lowest(final Collection<String> reasons) {
    if (reasons.isEmpty()) {
      long low = all;
      for (final long mark : byReason.values()) {
        low = Math.min(low, mark);
      }
      return low;
    }
    long low = Long.MAX_VALUE;
    for (final String reason : reasons) {
      low = Math.min(low, of(reason));
    }
    return low;
  }

  /**
   * @param reasons the reasons a redrive dealt with; empty for every reason
   * @param offset the position the redrive reached: every dead letter of those reasons below it was
   *     dealt with
   * @return the marks of those reasons moved up to {@code offset} (never down); the others as they were
   */
  RedriveMarks advance(final Collection<String> reasons, final long offset) {
    if (reasons.isEmpty()) {
      final Map<String, Long> moved = new TreeMap<>();
      byReason.forEach((reason, mark) -> moved.put(reason, Math.max(mark, offset)));
      return new RedriveMarks(Math.max(all, offset), moved);
    }
    final Map<String, Long> moved = new TreeMap<>(byReason);
    for (final String reason : reasons) {
      moved.put(reason, Math.max(of(reason), offset));
    }
    return new RedriveMarks(all, moved);
  }

  /** @return the marks as the committed offset's metadata */
  String toMetadata() {
    final ObjectNode node = JSON.createObjectNode();
    node.put("v", VERSION);
    node.put("all", all);
    final ObjectNode by = node.putObject("by");
    byReason.forEach(by::put);
    try {
      return JSON.writeValueAsString(node);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("Cannot write redrive marks as JSON", e);
    }
  }

  /**
   * @param offset the committed offset
   * @param metadata its metadata: marks written by {@link #toMetadata()}, or empty when the offset
   *     was committed by something other than a redrive (then every reason stands at the offset)
   * @return the marks
   * @throws IllegalArgumentException when the metadata is neither empty nor marks
   */
  static RedriveMarks fromCommit(final long offset, final String metadata) {
    if (metadata == null || metadata.isBlank()) {
      return at(offset);
    }
    final JsonNode node;
    try {
      node = JSON.readTree(metadata);
    } catch (final JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.path("v").asInt() != VERSION || !node.path("all").canConvertToLong()) {
      throw new IllegalArgumentException("not the marks of a redrive: " + metadata);
    }
    final Map<String, Long> by = new TreeMap<>();
    node.path("by").properties().forEach(e -> by.put(e.getKey(), e.getValue().asLong()));
    return new RedriveMarks(node.path("all").asLong(), by);
  }
}
