package dev.outpost.subscribers;

import dev.outpost.model.Alert;
import dev.outpost.model.EvidenceSpan;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An alert as a few lines for people: category, confidence, title, item, actors, the story it
 * joined (when it has one), evidence.
 */
public final class AlertText {

  /** How much of a story id is shown: enough to tell a reader's stories apart at a glance. */
  private static final int SHORT_STORY_ID = 8;

  private AlertText() {}

  /**
   * @param alert an alert
   * @return three lines, the last without a line break
   */
  public static String format(final Alert alert) {
    // One entry per distinct phrase and rule, in the order first found: an article that says
    // "joint exercises" five times is one piece of evidence said five times, not five.
    final Map<String, Integer> times = new LinkedHashMap<>();
    for (final EvidenceSpan span : alert.getEvidence()) {
      times.merge('"' + span.getText() + "\" (" + span.getRuleId() + ')', 1, Integer::sum);
    }
    final StringBuilder evidence = new StringBuilder();
    times.forEach(
        (phrase, n) -> {
          if (evidence.length() > 0) {
            evidence.append("; ");
          }
          evidence.append(phrase);
          if (n > 1) {
            evidence.append(" \u00d7").append(n);
          }
        });
    return String.format(
        Locale.ROOT,
        "ALERT %-18s %.2f  %s%n      item %s  actors %s%s%n      evidence %s",
        alert.getCategory().name().toLowerCase(Locale.ROOT),
        alert.getConfidence(),
        alert.getTitle(),
        alert.getItemId(),
        alert.getActors().isEmpty() ? "-" : String.join(", ", alert.getActors()),
        alert.getStoryId() == null ? "" : "  " + story(alert),
        evidence.length() == 0 ? "-" : evidence);
  }

  /**
   * @param alert an alert with a story
   * @return {@code story 3f2a9c1e · 7 reports from 5 sources}: the start of the story id, and the
   *     story's alerts and distinct sources once this alert joined it
   */
  static String story(final Alert alert) {
    final String id = alert.getStoryId();
    return "story "
        + (id.length() > SHORT_STORY_ID ? id.substring(0, SHORT_STORY_ID) : id)
        + " \u00b7 "
        + count(alert.getStoryItems(), "report")
        + " from "
        + count(alert.getStorySources(), "source");
  }

  private static String count(final int n, final String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
