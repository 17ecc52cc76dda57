package dev.outpost.classifier.story;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The story starts of one state and category over the surge horizon, and whether they are in a
 * surge now. One surge is reported when the count crosses the threshold; no other until the
 * recent window falls back under it (the surge subsided), so a week of escalation is one alert.
 *
 * <p>At most {@link #MAX_STARTS} starts are remembered, the newest; past that the counts are a
 * floor, and a state with that many stories in five weeks is in no danger of being missed.
 */
public final class SurgeTracker {

  /** Story starts remembered per state and category. */
  public static final int MAX_STARTS = 2_000;

  /**
   * One story start.
   *
   * @param storyId its story
   * @param title the story's title
   * @param time when it started, epoch millis
   */
  public record Start(String storyId, String title, long time) {}

  /**
   * A surge.
   *
   * @param windowStart start of the recent window, epoch millis
   * @param windowEnd its end: the stream time it was found at
   * @param recent the starts in the recent window, oldest first
   * @param baselineStories how many started in the baseline windows
   * @param baselineAverage per window
   */
  public record Surge(long windowStart, long windowEnd, List<Start> recent, int baselineStories, double baselineAverage) {}

  private static final byte FORMAT = 1;

  private final Deque<Start> starts = new ArrayDeque<>();
  private boolean surging;

  /**
   * @param start a story that started
   * @param now the stream time, epoch millis
   * @param rules the surge rules
   * @return the surge it sets off, if it does
   */
  public Optional<Surge> started(final Start start, final long now, final SurgeRules rules) {
    Objects.requireNonNull(start, "start");
    starts.addLast(start);
    while (starts.size() > MAX_STARTS) {
      starts.removeFirst();
    }
    return check(now, rules);
  }

  /**
   * Forgets starts past the horizon, and ends a surge that subsided.
   *
   * @param now the stream time, epoch millis
   * @param rules the surge rules
   * @return whether anything is left to remember
   */
  public boolean advance(final long now, final SurgeRules rules) {
    check(now, rules);
    return !starts.isEmpty() || surging;
  }

  /**
   * @return whether a surge is on
   */
  public boolean surging() {
    return surging;
  }

  private Optional<Surge> check(final long now, final SurgeRules rules) {
    final long windowStart = now - rules.window().toMillis();
    final long horizon = now - rules.horizon().toMillis();
    starts.removeIf(s -> s.time() < horizon);
    final List<Start> recent = new ArrayList<>();
    int baseline = 0;
    for (final Start s : starts) {
      if (s.time() >= windowStart) {
        recent.add(s);
      } else {
        baseline++;
      }
    }
    final boolean now0 = rules.surges(recent.size(), baseline);
    if (now0 && !surging) {
      surging = true;
      recent.sort(java.util.Comparator.comparingLong(Start::time).thenComparing(Start::storyId));
      return Optional.of(new Surge(windowStart, now, List.copyOf(recent), baseline, baseline / (double) rules.baselineWindows()));
    }
    if (!now0) {
      surging = false;
    }
    return Optional.empty();
  }

  /** @return the tracker as bytes, for a state store */
  public byte[] toBytes() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + starts.size() * 48);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeBoolean(surging);
      out.writeInt(starts.size());
      for (final Start s : starts) {
        out.writeUTF(s.storyId());
        out.writeUTF(s.title().length() > 10_000 ? s.title().substring(0, 10_000) : s.title());
        out.writeLong(s.time());
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @param bytes what {@link #toBytes()} wrote
   * @return the tracker
   * @throws IllegalArgumentException when the bytes are not a tracker of this format
   */
  public static SurgeTracker fromBytes(final byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      final byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown surge state format " + format);
      }
      final SurgeTracker tracker = new SurgeTracker();
      tracker.surging = in.readBoolean();
      final int n = in.readInt();
      for (int i = 0; i < n; i++) {
        tracker.starts.addLast(new Start(in.readUTF(), in.readUTF(), in.readLong()));
      }
      return tracker;
    } catch (final IOException e) {
      throw new IllegalArgumentException("truncated or corrupt surge state: " + e.getMessage(), e);
    }
  }
}
