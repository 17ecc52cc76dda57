package dev.outpost.subscribers;

import dev.outpost.model.Alert;
import dev.outpost.model.EvidenceSpan;
import java.util.Locale;

/** An alert as a few lines for people: category, confidence, title, item, actors, evidence. */
public final class AlertText {

  private AlertText() {}

  /**
   * @param alert an alert
   * @return three lines, the last without a line break
   */
  public static String format(final Alert alert) {
    final StringBuilder evidence = new StringBuilder();
    for (final EvidenceSpan span : alert.getEvidence()) {
      if (evidence.length() > 0) {
        evidence.append("; ");
      }
      evidence.append('"').append(span.getText()).append("\" (").append(span.getRuleId()).append(')');
    }
    return String.format(
        Locale.ROOT,
        "ALERT %-18s %.2f  %s%n      item %s  actors %s%n      evidence %s",
        alert.getCategory().name().toLowerCase(Locale.ROOT),
        alert.getConfidence(),
        alert.getTitle(),
        alert.getItemId(),
        alert.getActors().isEmpty() ? "-" : String.join(", ", alert.getActors()),
        evidence.length() == 0 ? "-" : evidence);
  }
}
