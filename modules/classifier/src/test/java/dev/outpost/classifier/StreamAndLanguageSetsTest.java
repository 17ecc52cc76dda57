package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shape the issue asked of the stream set and the language sets, checked on the data. */
class StreamAndLanguageSetsTest {

  private static String part(final String outlet) {
    try {
      final byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(outlet.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return Long.parseLong(HexFormat.of().formatHex(hash, 0, 4), 16) % 100 < 40 ? "holdout" : "tune";
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void splitByOutlet(final List<JsonNode> tune, final List<JsonNode> holdout) {
    splitByOutlet(tune, holdout, Set.of());
  }

  /**
   * @param retired outlets of a held-out part that was later read and moved to tuning: on the tune
   *     side whatever their hash
   */
  private static void splitByOutlet(final List<JsonNode> tune, final List<JsonNode> holdout, final Set<String> retired) {
    tune.stream()
        .filter(i -> !retired.contains(i.path("outlet").asText()))
        .forEach(i -> assertThat(part(i.path("outlet").asText())).as(i.path("id").asText()).isEqualTo("tune"));
    holdout.forEach(i -> assertThat(part(i.path("outlet").asText())).as(i.path("id").asText()).isEqualTo("holdout"));
    final Set<String> tuneOutlets = new HashSet<>();
    tune.forEach(i -> tuneOutlets.add(i.path("outlet").asText()));
    assertThat(holdout).noneSatisfy(i -> assertThat(tuneOutlets).contains(i.path("outlet").asText()));
  }

  @Test
  void theStreamSetIsWholeFeedsFromManyOutletsSplitByOutlet() throws IOException {
    final List<JsonNode> tune = LanguageIdentifierTest.items("stream/tune.jsonl");
    final List<JsonNode> holdout = LanguageIdentifierTest.items("stream/holdout.jsonl");
    final List<JsonNode> all = Stream.concat(tune.stream(), holdout.stream()).toList();

    assertThat(all).hasSizeGreaterThanOrEqualTo(1500);
    final Set<String> feeds = new HashSet<>();
    all.forEach(i -> feeds.add(i.path("feed").asText()));
    assertThat(feeds).hasSizeGreaterThanOrEqualTo(15);
    assertThat(all).allSatisfy(i -> assertThat(i.path("origin").asText()).isNotBlank());
    final Set<String> retired = new HashSet<>();
    for (final String line : Files.readAllLines(DevSetTest.DIR.resolve("stream/retired-outlets.txt"), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        retired.add(line.strip());
      }
    }
    assertThat(holdout).noneSatisfy(i -> assertThat(retired).contains(i.path("outlet").asText()));
    splitByOutlet(tune, holdout, retired);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"de", "fr", "es", "pt", "ru", "uk", "zh", "ja", "ko", "ar"})
  void eachLanguageHasFortyRealItemsAHeldOutPartFromOtherOutletsAndHardNegatives(final String code) throws IOException {
    final List<JsonNode> tune = LanguageIdentifierTest.items("lang/" + code + ".tune.jsonl");
    final List<JsonNode> holdout = LanguageIdentifierTest.items("lang/" + code + ".holdout.jsonl");
    final List<JsonNode> all = Stream.concat(tune.stream(), holdout.stream()).toList();

    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
    assertThat(all).allSatisfy(i -> assertThat(i.path("language").asText()).isEqualTo(code));
    assertThat(all).filteredOn(i -> i.path("labels").isEmpty() && !i.path("trap").asText("").isBlank()).hasSizeGreaterThanOrEqualTo(10);
    for (final Category c : Category.values()) {
      assertThat(holdout).as("%s held-out %s", code, c.label()).filteredOn(i -> i.path("labels").toString().contains(c.label())).isNotEmpty();
    }
    splitByOutlet(tune, holdout);
  }
}
