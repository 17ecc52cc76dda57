package dev.outpost.ops;

import dev.outpost.ops.lag.GroupLag;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last samples of each group's lag, for the dashboard's trend lines: a page opened now sees
 * how lag moved over the last minutes, not only from when it opened. A group that leaves the lag
 * report (aged out, deleted) leaves the history too.
 */
public final class LagHistory {

  /**
   * One sample of one group.
   *
   * @param timeMs when, in epoch milliseconds
   * @param lagRecords records behind, over its partitions
   * @param lagSeconds its lag in seconds
   * @param status its status then
   */
  public record Point(long timeMs, long lagRecords, double lagSeconds, String status) {}

  private final int capacity;
  private final Map<String, Deque<Point>> groups = new TreeMap<>();

  /**
   * @param capacity how many samples of each group are kept, the oldest dropped first
   */
  public LagHistory(final int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("a trend needs at least 2 samples, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * @param latest the latest sample of every group watched
   * @param nowMs when, in epoch milliseconds
   */
  public synchronized void record(final List<GroupLag> latest, final long nowMs) {
    groups.keySet().retainAll(latest.stream().map(GroupLag::group).toList());
    for (final GroupLag g : latest) {
      final Deque<Point> points = groups.computeIfAbsent(g.group(), k -> new ArrayDeque<>());
      points.addLast(new Point(nowMs, g.lagRecords(), g.lagSeconds(), g.status().name()));
      while (points.size() > capacity) {
        points.removeFirst();
      }
    }
  }

  /** @return each group's samples, oldest first */
  public synchronized Map<String, List<Point>> points() {
    final Map<String, List<Point>> copy = new TreeMap<>();
    groups.forEach((group, points) -> copy.put(group, List.copyOf(points)));
    return copy;
  }
}
