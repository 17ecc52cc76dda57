package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.classifier.eval.Evaluation;
import dev.outpost.classifier.eval.LabelledItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bar on each language's held-out outlets, which nothing was tuned on: macro-F1 0.80. */
class LanguageHeldOutTest {

  private static final Classifier CLASSIFIER = Classifier.withDefaultRules();

  /** Items as the pipeline sees them, with the language each declares. */
  static Evaluation evaluate(final String file) throws IOException {
    final List<LabelledItem> items = new ArrayList<>();
    final Map<String, String> languages = new HashMap<>();
    for (final JsonNode n : LanguageIdentifierTest.items(file)) {
      final Set<Category> labels = EnumSet.noneOf(Category.class);
      n.path("labels").forEach(l -> labels.add(Category.fromLabel(l.asText()).orElseThrow()));
      final String id = n.path("id").asText();
      items.add(new LabelledItem(id, n.path("source").asText(""), n.path("title").asText(""), n.path("text").asText(""), labels));
      languages.put(id, n.path("language").asText(null));
    }
    return Evaluation.of(items, i -> Set.copyOf(CLASSIFIER.classify(i.title(), i.text(), languages.get(i.id())).labels()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"de", "fr", "es", "pt", "ru", "uk", "zh", "ja", "ko", "ar"})
  void eachLanguageReachesMacroF1OfPoint80OnItsHeldOutOutlets(final String code) throws IOException {
    assertThat(CLASSIFIER.languages()).contains(code);

    assertThat(evaluate("lang/" + code + ".holdout.jsonl").macroF1()).as(code).isGreaterThanOrEqualTo(0.80);
  }
}
