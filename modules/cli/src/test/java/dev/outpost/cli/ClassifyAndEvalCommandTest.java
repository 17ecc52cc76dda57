package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost classify} and {@code outpost eval}, offline. */
class ClassifyAndEvalCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path file(final String name, final String... lines) throws IOException {
    final Path path = dir.resolve(name);
    Files.writeString(path, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return path;
  }

  @Test
  void classifyWritesOneResultPerItem() throws IOException {
    final Path in =
        file(
            "in.jsonl",
            "{\"id\":\"1\",\"title\":\"Navy drills\",\"text\":\"The navy began live-fire drills near Taiwan.\"}",
            "",
            "{\"id\":\"2\",\"title\":\"Bake sale\",\"body\":\"The school raised money for books.\"}");

    final CliRunner.Result result = CliRunner.run("classify", "--input", in.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    final List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(2);
    final JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("id").asText()).isEqualTo("1");
    assertThat(first.get("labels")).extracting(JsonNode::asText).containsExactly("military_exercise");
    assertThat(first.get("confidence").get("military_exercise").asDouble()).isGreaterThanOrEqualTo(0.5);
    assertThat(first.get("confidence").size()).isEqualTo(4);
    assertThat(first.get("evidence").get(0).get("category").asText()).isEqualTo("military_exercise");
    assertThat(first.get("evidence").get(0).get("ruleId").asText()).startsWith("exercise.");
    assertThat(first.get("actors")).extracting(JsonNode::asText).containsExactly("TWN");
    assertThat(first.get("classifierVersion").asText()).isNotBlank();
    assertThat(JSON.readTree(lines.get(1)).get("labels")).isEmpty();
  }

  @Test
  void classifySaysWhichLanguageEachItemWasReadInAndHonoursADeclaredOne() throws IOException {
    final Path in =
        file(
            "in.jsonl",
            "{\"id\":\"en\",\"title\":\"Navy drills\",\"text\":\"The navy began live-fire drills near Taiwan.\"}",
            // English words, declared Italian: the declaration wins, and Outpost does not read Italian.
            "{\"id\":\"declared\",\"language\":\"it-IT\",\"title\":\"Navy drills\",\"text\":\"The navy began live-fire drills near Taiwan.\"}",
            "{\"id\":\"identified\",\"title\":\"La marina avvia esercitazioni con fuoco reale\","
                + "\"text\":\"La marina militare ha iniziato lunedì tre giorni di esercitazioni al largo della costa orientale,"
                + " secondo il ministero della difesa.\"}");

    final CliRunner.Result result = CliRunner.run("classify", "--input", in.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    final List<JsonNode> out = result.out().lines().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (final IOException e) {
        throw new AssertionError(l, e);
      }
    }).toList();
    assertThat(out.get(0).get("language").asText()).isEqualTo("en");
    assertThat(out.get(0).get("languageSupported").asBoolean()).isTrue();
    assertThat(out.get(0).get("labels")).extracting(JsonNode::asText).containsExactly("military_exercise");
    for (final JsonNode unread : List.of(out.get(1), out.get(2))) {
      assertThat(unread.get("language").asText()).as(unread.toString()).isEqualTo("it");
      assertThat(unread.get("languageSupported").isBoolean()).isTrue();
      assertThat(unread.get("languageSupported").asBoolean()).as(unread.toString()).isFalse();
      assertThat(unread.get("labels")).isEmpty();
    }
  }

  @Test
  void aLanguageThatIsNotAStringIsABadLine() throws IOException {
    final Path in = file("in.jsonl", "{\"id\":\"1\",\"title\":\"ok\",\"language\":7}");

    final CliRunner.Result result = CliRunner.run("classify", "--input", in.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains(in + ":1: field 'language' must be a string");
  }

  @Test
  void classifyToAFileSaysWhereItWrote() throws IOException {
    final Path in = file("in.jsonl", "{\"id\":\"a\",\"title\":\"Envoy summoned\",\"text\":\"The ministry summoned the ambassador.\"}");
    final Path out = dir.resolve("out.jsonl");

    final CliRunner.Result result = CliRunner.run("classify", "-i", in.toString(), "-o", out.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("Classified 1 item(s) into " + out);
    assertThat(Files.readString(out)).contains("\"diplomatic_tension\"");
  }

  @Test
  void aBadLineIsNamedByItsNumber() throws IOException {
    final Path in = file("in.jsonl", "{\"id\":\"1\",\"title\":\"ok\"}", "{\"title\":\"no id\"}", "{\"id\":\"3\",\"title\":\"ok\"}");

    final CliRunner.Result result = CliRunner.run("classify", "--input", in.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains(in + ":2: missing field 'id'").contains("--skip-invalid");
  }

  @Test
  void skipInvalidCountsAndReportsBadLines() throws IOException {
    final Path in =
        file("in.jsonl", "{\"id\":\"1\",\"title\":\"ok\"}", "not json", "{\"id\":\"3\",\"title\":7}", "{\"id\":\"4\",\"title\":\"ok\"}");

    final CliRunner.Result result = CliRunner.run("classify", "--input", in.toString(), "--skip-invalid");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(2);
    assertThat(result.err())
        .contains("Skipped 2 invalid line(s)")
        .contains(in + ":2: not a JSON object")
        .contains(in + ":3: field 'title' must be a string");
  }

  @Test
  void aBadRulesFileIsNamed() throws IOException {
    final Path rules = file("rules.json", "{\"categories\": {\"riots\": {}}}");
    final Path in = file("in.jsonl", "{\"id\":\"1\",\"title\":\"ok\"}");

    final CliRunner.Result result = CliRunner.run("classify", "--input", in.toString(), "--rules", rules.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("unknown category 'riots'");
  }

  @Test
  void evalPrintsPerCategoryScoresTheFloorAndMacroF1Last() throws IOException {
    final Path set =
        file(
            "set.jsonl",
            "{\"id\":\"1\",\"title\":\"\",\"text\":\"The navy began live-fire drills.\",\"labels\":[\"military_exercise\"]}",
            "{\"id\":\"2\",\"title\":\"\",\"text\":\"Doctors say that regular exercise is good for the heart and the mind.\",\"labels\":[]}",
            "{\"id\":\"3\",\"title\":\"\",\"text\":\"The ministry summoned the ambassador.\",\"labels\":[\"diplomatic_tension\"]}");

    final CliRunner.Result result = CliRunner.run("eval", "--input", set.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    final List<String> lines = result.out().lines().toList();
    assertThat(lines.get(lines.size() - 1)).matches("macro-F1 [01]\\.\\d{3}");
    assertThat(result.out())
        .contains("military_exercise")
        .contains("kw F1")
        .contains("no-label items given a label: 0 of 1")
        .contains("keyword matcher: 1 (100.0%)");
  }

  @Test
  void evalReportsPerLanguagePerFeedAndAtTheStreamBaseRateAndHonoursTheDeclaredLanguage() throws IOException {
    final Path set =
        file(
            "set.jsonl",
            "{\"id\":\"1\",\"feed\":\"navy-wire\",\"title\":\"\",\"text\":\"The navy began live-fire drills.\",\"labels\":[\"military_exercise\"]}",
            "{\"id\":\"2\",\"outlet\":\"health-daily\",\"title\":\"\",\"text\":\"Doctors say that regular exercise is good for the heart and the mind.\",\"labels\":[]}",
            "{\"id\":\"3\",\"feed\":\"navy-wire\",\"outlet\":\"ignored\",\"title\":\"\",\"text\":\"The ministry summoned the ambassador.\",\"labels\":[\"diplomatic_tension\"]}",
            // English words, declared Italian: honoured, so not read, and its exercise is missed.
            "{\"id\":\"4\",\"language\":\"it\",\"feed\":\"ansa\",\"title\":\"\",\"text\":\"The navy began live-fire drills.\",\"labels\":[\"military_exercise\"]}");

    final CliRunner.Result result = CliRunner.run("eval", "--input", set.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    final List<String> lines = result.out().lines().toList();
    assertThat(lines.get(lines.size() - 1)).isEqualTo("macro-F1 0.917");
    assertThat(result.out())
        .contains("per language")
        .contains("per feed")
        .contains("alert precision/recall at the stream base rate");
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("en +3 +0 +1\\.000  0 of 1 \\(0\\.0%\\)"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("it +1 +1 +0\\.750  - of 0"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("navy-wire +2 +0 +1\\.000  - of 0"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("health-daily +1 +0 +1\\.000  0 of 1 \\(0\\.0%\\)"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("ansa +1 +1 +0\\.750  - of 0"));
    // Two of four items are exercises, one a tension; two of three alerts due were raised, both right.
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("military_exercise +50\\.0% +1\\.000 +0\\.500"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("diplomatic_tension +25\\.0% +1\\.000 +1\\.000"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("every alert, pooled +1\\.000 +0\\.667 +\\(2 alerts raised, 2 right, 3 due\\)"));
    assertThat(result.out()).contains("no-label items given any label: 0.0% (0 of 1)");
  }

  @Test
  void evalNamesABadLabel() throws IOException {
    final Path set = file("set.jsonl", "{\"id\":\"1\",\"title\":\"t\",\"text\":\"x\",\"labels\":[\"riot\"]}");

    final CliRunner.Result result = CliRunner.run("eval", "--input", set.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains(set + ":1: unknown label 'riot'");
  }
}
