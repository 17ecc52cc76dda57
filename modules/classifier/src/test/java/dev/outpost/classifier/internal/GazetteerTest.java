package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.classifier.ClassifierException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GazetteerTest {

  private static String resource() throws IOException {
    try (InputStream in =
        GazetteerTest.class.getClassLoader().getResourceAsStream("dev/outpost/classifier/gazetteer.tsv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void coversTheUnMembersTaiwanKosovoPalestineAndTheHolySee() throws IOException {
    final Gazetteer gazetteer = Gazetteer.parse(resource(), "gazetteer.tsv", new Vocabulary());

    // 193 UN member states plus four more.
    assertThat(gazetteer.codes()).hasSize(197);
    assertThat(gazetteer.codes())
        .contains("TWN", "XKX", "PSE", "VAT")
        .contains("CHN", "RUS", "PRK", "KOR", "JPN", "USA", "UKR", "IND", "PAK", "IRN", "ISR")
        .contains("TUV", "NRU", "SSD", "ERI", "BTN", "KNA", "SMR", "MCO", "LIE", "AND");
  }

  @Test
  void itsHeaderNamesItsSources() throws IOException {
    final String header = resource().lines().takeWhile(l -> l.startsWith("#")).reduce("", String::concat);

    assertThat(header).contains("Sources").contains("ISO 3166-1").contains("un.org");
  }

  @Test
  void theLongestAliasWinsAndExcludedPhrasesNameNoState() {
    final Vocabulary vocabulary = new Vocabulary();
    final Gazetteer gazetteer =
        Gazetteer.parse(
            "code\ttype\talias\tflags\nGIN\tname\tGuinea\t\nPNG\tname\tPapua New Guinea\t\n"
                + "IND\tdemonym\tIndian\t\nZZZ\texclude\tIndian Ocean\t\nUSA\tshort\tUS\tcs\n",
            "test.tsv",
            vocabulary);
    final List<Gazetteer.Mention> mentions = new ArrayList<>();

    gazetteer.find(
        Tokens.of("Papua New Guinea and Guinea met on the Indian Ocean; Indian ships and us, not US.", vocabulary),
        mentions);

    assertThat(mentions).extracting(m -> m.entry().code()).containsExactly("PNG", "GIN", "IND", "USA");
  }

  @Test
  void aBadRowIsNamedByItsLine() {
    assertThatThrownBy(() -> Gazetteer.parse("code\ttype\talias\tflags\nCHINA\tname\tChina\t\n", "bad.tsv", new Vocabulary()))
        .isInstanceOf(ClassifierException.class)
        .hasMessageContaining("bad.tsv:2")
        .hasMessageContaining("'CHINA' is not an ISO 3166-1 alpha-3 code");
  }
}
