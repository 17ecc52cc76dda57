package dev.outpost.subscribers.dispatch;

import dev.outpost.model.net.OutboundPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the dispatcher delivers.
 *
 * @param group the consumer group; instances with the same group share the alerts
 * @param requestTimeout how long one webhook call may take
 * @param maxAttempts attempts before an alert is parked
 * @param maxAge how long after the first attempt an alert is parked, whatever the attempts
 * @param backoff the first retry delay; each retry doubles it, with jitter
 * @param maxBackoff the longest delay between attempts, also the cap on {@code Retry-After}
 * @param laneCapacity deliveries one subscriber may have queued; beyond, new ones are deferred
 *     to the retry topics instead of waiting, so a slow subscriber never holds up the others
 * @param outbound which addresses webhooks may be delivered to; internal ones are refused unless
 *     allowed, and an alert for a refused webhook is parked
 */
public record DispatchSettings(
    String group,
    Duration requestTimeout,
    int maxAttempts,
    Duration maxAge,
    Duration backoff,
    Duration maxBackoff,
    int laneCapacity,
    OutboundPolicy outbound) {

  /** Checks the settings. */
  public DispatchSettings {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(outbound, "outbound");
    if (group.isBlank()) {
      throw new IllegalArgumentException("the dispatcher needs a consumer group");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
    }
    if (laneCapacity < 1) {
      throw new IllegalArgumentException("lane capacity must be at least 1, got " + laneCapacity);
    }
    for (final Duration d : new Duration[] {requestTimeout, maxAge, backoff, maxBackoff}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }
  }

  /**
   * Settings that deliver to public addresses only.
   *
   * @param group the consumer group
   * @param requestTimeout how long one webhook call may take
   * @param maxAttempts attempts before an alert is parked
   * @param maxAge how long after the first attempt an alert is parked
   * @param backoff the first retry delay
   * @param maxBackoff the longest delay between attempts
   * @param laneCapacity deliveries one subscriber may have queued
   */
  public DispatchSettings(
      final String group,
      final Duration requestTimeout,
      final int maxAttempts,
      final Duration maxAge,
      final Duration backoff,
      final Duration maxBackoff,
      final int laneCapacity) {
    this(group, requestTimeout, maxAttempts, maxAge, backoff, maxBackoff, laneCapacity, OutboundPolicy.DEFAULT);
  }

  /**
   * @param policy which addresses webhooks may be delivered to
   * @return these settings with that policy
   */
  public DispatchSettings withOutbound(final OutboundPolicy policy) {
    return new DispatchSettings(group, requestTimeout, maxAttempts, maxAge, backoff, maxBackoff, laneCapacity, policy);
  }

  /** @return sensible defaults: 10 s calls, 8 attempts within a day, backoff 1 s doubling to 10 min */
  public static DispatchSettings defaults() {
    return new DispatchSettings(
        "outpost-dispatch", Duration.ofSeconds(10), 8, Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofMinutes(10), 100);
  }
}
