package dev.outpost.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Turns a surge of dead letters into one ops event, for the subscriptions that page someone: when
 * the dead letters of one reason, or of all reasons together, grow by more than {@link
 * Rule#threshold()} within {@link Rule#window()}, it writes one event of kind {@value
 * #KIND_SURGE}, and no other for the same surge until it subsides (the growth within the window is
 * back at or under the threshold); then one of kind {@value #KIND_ENDED}.
 *
 * <pre>{@code
 * {"eventId":"dlq-surge:title_too_large:1718000000000","kind":"dead-letter-surge",
 *  "reason":"title_too_large","added":14,"windowSeconds":300,"threshold":10,"total":131,
 *  "addedByReason":{"title_too_large":14},"at":"2024-06-10T06:13:20Z"}
 * }</pre>
 *
 * <p>A reason that surges on its own is named; {@code reason} is null when the dead letters of all
 * reasons together went over the threshold but none alone did. The first counts seen are where the
 * growth starts from, not growth: dead letters written before the process started are no surge.
 * Counts that fell (a namespace deleted) are no growth either.
 *
 * <p>Fed the {@link DeadLetterCounts.Snapshot} of each refresh; writes through the sink given
 * ({@code LagEvents::publish} writes to the ops events topic).
 */
public final class DeadLetterSurges implements Consumer<DeadLetterCounts.Snapshot> {

  /** The {@code kind} of a surge that began. */
  public static final String KIND_SURGE = "dead-letter-surge";

  /** The {@code kind} of a surge that subsided. */
  public static final String KIND_ENDED = "dead-letter-surge-ended";

  /** The key of the ops events written. */
  public static final String KEY = "dead-letters";

  /** The key of all reasons together, in the surges under way. */
  private static final String ALL = "";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * When dead letters surge.
   *
   * @param threshold more than this many new dead letters within the window is a surge
   * @param window how far back the growth is counted
   */
  public record Rule(long threshold, Duration window) {

    /** More than 10 in 5 minutes. */
    public static final Rule DEFAULT = new Rule(10, Duration.ofMinutes(5));

    /** Checks the numbers. */
    public Rule {
      if (threshold < 1) {
        throw new IllegalArgumentException("the surge threshold must be at least 1, got " + threshold);
      }
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("the surge window must be positive, got " + window);
      }
    }
  }

  /** The counts of one refresh. */
  private record Point(long atMs, Map<String, Long> byReason, long total) {}

  private final Rule rule;
  private final Clock clock;
  private final BiConsumer<String, ObjectNode> sink;
  private final Deque<Point> history = new ArrayDeque<>();
  /** The surges under way, by reason ({@link #ALL} for all together), to when each began. */
  private final Map<String, Long> surging = new HashMap<>();
  /** Whether the surge of all reasons under way was written, or hidden by one reason's. */
  private boolean allWritten;

  /**
   * @param rule when dead letters surge
   * @param clock when the counts are taken
   * @param sink takes the key and the JSON object of each event
   */
  public DeadLetterSurges(final Rule rule, final Clock clock, final BiConsumer<String, ObjectNode> sink) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** @return the rule */
  public Rule rule() {
    return rule;
  }

  /**
   * Takes the counts of a refresh; one that has not read every topic yet, or failed, is skipped.
   *
   * @param snapshot the counts
   */
  @Override
  public synchronized void accept(final DeadLetterCounts.Snapshot snapshot) {
    if (!snapshot.read() || snapshot.error() != null) {
      return;
    }
    final long now = clock.millis();
    history.addLast(new Point(now, snapshot.byReason(), snapshot.total()));
    // The baseline is the newest point at least a window old, or the oldest while none is.
    final long windowStart = now - rule.window().toMillis();
    while (history.size() > 1 && second().atMs() <= windowStart) {
      history.removeFirst();
    }
    final Point base = history.peekFirst();
    final Point last = history.peekLast();
    final Map<String, Long> added = new TreeMap<>();
    last.byReason().forEach((reason, n) -> {
      final long grown = n - base.byReason().getOrDefault(reason, 0L);
      if (grown > 0) {
        added.put(reason, grown);
      }
    });
    final long addedAll = Math.max(0, last.total() - base.total());

    boolean anyReason = false;
    for (final String reason : new TreeSet<>(added.keySet())) {
      if (added.get(reason) > rule.threshold()) {
        anyReason = true;
        if (!surging.containsKey(reason)) {
          surging.put(reason, now);
          sink.accept(KEY, event(KIND_SURGE, reason, now, now, added.get(reason), last.byReason().get(reason), added));
        }
      }
    }
    for (final String reason : new TreeSet<>(surging.keySet())) {
      if (!reason.equals(ALL) && added.getOrDefault(reason, 0L) <= rule.threshold()) {
        final long began = surging.remove(reason);
        sink.accept(KEY, event(KIND_ENDED, reason, began, now, added.getOrDefault(reason, 0L), last.byReason().getOrDefault(reason, 0L), added));
      }
    }
    if (addedAll > rule.threshold() && !surging.containsKey(ALL)) {
      surging.put(ALL, now);
      // One surge, one event: when a reason surging alone explains it, its event says it all.
      allWritten = !anyReason;
      if (allWritten) {
        sink.accept(KEY, event(KIND_SURGE, null, now, now, addedAll, last.total(), added));
      }
    } else if (addedAll <= rule.threshold() && surging.containsKey(ALL)) {
      final long began = surging.remove(ALL);
      if (allWritten) {
        sink.accept(KEY, event(KIND_ENDED, null, began, now, addedAll, last.total(), added));
      }
      allWritten = false;
    }
  }

  private Point second() {
    final java.util.Iterator<Point> it = history.iterator();
    it.next();
    return it.next();
  }

  private ObjectNode event(
      final String kind,
      final String reason,
      final long beganMs,
      final long nowMs,
      final long added,
      final long total,
      final Map<String, Long> addedByReason) {
    final ObjectNode node = JSON.createObjectNode();
    node.put("eventId", (kind.equals(KIND_SURGE) ? "dlq-surge:" : "dlq-surge-ended:") + (reason == null ? "all" : reason) + ":" + beganMs);
    node.put("kind", kind);
    node.put("reason", reason);
    node.put("added", added);
    node.put("windowSeconds", rule.window().toSeconds());
    node.put("threshold", rule.threshold());
    node.put("total", total);
    final ObjectNode by = node.putObject("addedByReason");
    addedByReason.forEach(by::put);
    if (kind.equals(KIND_ENDED)) {
      node.put("since", Instant.ofEpochMilli(beganMs).toString());
    }
    node.put("at", Instant.ofEpochMilli(nowMs).toString());
    return node;
  }
}
