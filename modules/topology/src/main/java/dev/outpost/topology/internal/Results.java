package dev.outpost.topology.internal;

import dev.outpost.classifier.CategoryResult;
import dev.outpost.classifier.Classification;
import dev.outpost.classifier.Evidence;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.EvidenceSpan;
import dev.outpost.model.Label;
import dev.outpost.model.NewsItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns the classifier's plain Java results into the pipeline's Avro records. */
public final class Results {

  private Results() {}

  /**
   * @param item the item classified
   * @param classification what the classifier said
   * @param classifiedAt when
   * @return the item with every label that applies, in category order
   */
  public static ClassifiedItem classified(
      final NewsItem item, final Classification classification, final Instant classifiedAt) {
    final List<Label> labels = new ArrayList<>();
    for (final dev.outpost.classifier.Category category : classification.labels()) {
      final CategoryResult result = classification.result(category);
      labels.add(
          Label.newBuilder()
              .setCategory(toModel(category))
              .setConfidence(result.confidence())
              .setEvidence(spans(result.evidence()))
              .build());
    }
    return ClassifiedItem.newBuilder()
        .setItem(item)
        .setLabels(labels)
        .setActors(new ArrayList<>(classification.actors()))
        .setClassifiedAt(classifiedAt)
        .setClassifierVersion(classification.classifierVersion())
        .setLanguage(classification.language())
        .setLanguageSupported(classification.languageSupported())
        .build();
  }

  /**
   * @param classified an item with its labels
   * @return one alert per label, in category order; none for an item in a language Outpost does
   *     not read (it has no labels)
   */
  public static List<Alert> alerts(final ClassifiedItem classified) {
    final NewsItem item = classified.getItem();
    if (!classified.getLanguageSupported()) {
      return List.of();
    }
    final List<Alert> alerts = new ArrayList<>(classified.getLabels().size());
    for (final Label label : classified.getLabels()) {
      alerts.add(
          Alert.newBuilder()
              .setAlertId(alertId(item.getId(), label.getCategory()))
              .setItemId(item.getId())
              .setCategory(label.getCategory())
              .setConfidence(label.getConfidence())
              .setActors(classified.getActors())
              .setEvidence(label.getEvidence())
              .setTitle(item.getTitle())
              .setUrl(item.getUrl())
              .setSource(item.getSource())
              .setPublishedAt(item.getPublishedAt())
              .setClassifiedAt(classified.getClassifiedAt())
              .setClassifierVersion(classified.getClassifierVersion())
              .setLanguage(classified.getLanguage())
              .build());
    }
    return alerts;
  }

  /**
   * @param itemId an item id
   * @param category one of its labels
   * @return the alert's id: the same item and label always give the same id
   */
  public static String alertId(final String itemId, final Category category) {
    return itemId + "#" + category.name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param category a classifier category
   * @return the same category in the Avro contract
   */
  public static Category toModel(final dev.outpost.classifier.Category category) {
    return Category.valueOf(category.name());
  }

  private static List<EvidenceSpan> spans(final List<Evidence> evidence) {
    final List<EvidenceSpan> spans = new ArrayList<>(evidence.size());
    for (final Evidence e : evidence) {
      spans.add(
          EvidenceSpan.newBuilder()
              .setField(e.field())
              .setStart(e.start())
              .setEnd(e.end())
              .setText(e.text())
              .setRuleId(e.ruleId())
              .setStates(e.states())
              .setTargets(e.targets())
              .build());
    }
    return spans;
  }
}
