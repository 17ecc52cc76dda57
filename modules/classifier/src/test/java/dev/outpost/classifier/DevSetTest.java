package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.classifier.eval.LabelledItem;
import dev.outpost.classifier.eval.LabelledSet;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The development set keeps its promises: size, sources, negatives, and a clean split. */
class DevSetTest {

  static final Path DIR = Path.of(System.getProperty("outpost.devset.dir", "devset"));

  static List<LabelledItem> read(final String name) throws IOException {
    return LabelledSet.parse(name, Files.readString(DIR.resolve(name), StandardCharsets.UTF_8));
  }

  @Test
  void itHoldsAtLeast300RealExcerptsWithTheirAddresses() throws IOException {
    final List<LabelledItem> all =
        Stream.concat(read("tune.jsonl").stream(), read("holdout.jsonl").stream()).toList();

    assertThat(all).hasSizeGreaterThanOrEqualTo(300);
    assertThat(all)
        .allSatisfy(
            item -> {
              assertThat(item.source()).startsWith("http");
              assertThat(item.text()).isNotBlank();
            });
    final Set<String> hosts = new HashSet<>();
    all.forEach(item -> hosts.add(URI.create(item.source().replace(" ", "%20")).getHost()));
    assertThat(hosts).as("distinct sites").hasSizeGreaterThanOrEqualTo(100);
  }

  @Test
  void itHasAtLeast80ItemsWithNoLabelAndEveryCategoryInBothParts() throws IOException {
    final List<LabelledItem> tune = read("tune.jsonl");
    final List<LabelledItem> holdout = read("holdout.jsonl");

    assertThat(Stream.concat(tune.stream(), holdout.stream()).filter(i -> i.labels().isEmpty()).count())
        .isGreaterThanOrEqualTo(80);
    for (final Category c : Category.values()) {
      assertThat(holdout).as("held-out items labelled %s", c.label()).filteredOn(i -> i.labels().contains(c)).hasSizeGreaterThanOrEqualTo(10);
      assertThat(tune).as("tuning items labelled %s", c.label()).filteredOn(i -> i.labels().contains(c)).hasSizeGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void thePartsShareNoItemAndNoPage() throws IOException {
    final List<LabelledItem> tune = read("tune.jsonl");
    final List<LabelledItem> holdout = read("holdout.jsonl");

    final Set<String> ids = new HashSet<>();
    final Set<String> texts = new HashSet<>();
    tune.forEach(i -> {
      ids.add(i.id());
      texts.add(i.text());
    });
    assertThat(holdout).noneSatisfy(i -> assertThat(ids).contains(i.id()));
    assertThat(holdout).noneSatisfy(i -> assertThat(texts).contains(i.text()));
  }
}
