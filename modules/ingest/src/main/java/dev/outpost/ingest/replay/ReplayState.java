package dev.outpost.ingest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;

/**
 * How far the replay into one namespace has got, as kept in {@code outpost.replay.state.v1}.
 *
 * @param source what is replayed ({@link ReplaySource#description()})
 * @param since the first publication time replayed, ISO-8601, or null for no bound
 * @param until the publication time replayed up to (excluded), or null
 * @param position where the source is read up to
 * @param published items sent to the namespace so far, over every run
 * @param skipped items passed over as outside {@code since}/{@code until}
 * @param done true once the whole source was read
 */
public record ReplayState(
    String source,
    String since,
    String until,
    Map<String, Long> position,
    long published,
    long skipped,
    boolean done) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * @param source what is replayed
   * @param since the lower bound, or null
   * @param until the upper bound, or null
   * @return the state of a replay that has sent nothing yet
   */
  public static ReplayState start(final String source, final String since, final String until) {
    return new ReplayState(source, since, until, Map.of(), 0, 0, false);
  }

  /**
   * @param other another replay's state
   * @return true when both read the same source between the same bounds, so one can resume the
   *     other
   */
  public boolean sameReplayAs(final ReplayState other) {
    return source.equals(other.source) && Objects.equals(since, other.since) && Objects.equals(until, other.until);
  }

  /** @return the state as stored */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a replay state", e);
    }
  }

  /**
   * @param json a stored state
   * @return it read
   * @throws IllegalArgumentException when it is not a replay state
   */
  public static ReplayState fromJson(final String json) {
    try {
      final ReplayState state = JSON.readValue(json, ReplayState.class);
      if (state.source() == null || state.position() == null) {
        throw new IllegalArgumentException("a replay state needs a source and a position: " + json);
      }
      return state;
    } catch (final JsonProcessingException e) {
      throw new IllegalArgumentException("not a replay state: " + e.getOriginalMessage(), e);
    }
  }

  /** @return a short account for people */
  public String describe() {
    return source
        + (since == null ? "" : " since " + since)
        + (until == null ? "" : " until " + until)
        + ", " + published + " item(s) sent"
        + (done ? ", complete" : "");
  }
}
