package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.classifier.internal.Engine;
import dev.outpost.classifier.internal.LanguagePack;
import org.junit.jupiter.api.Test;

/** A language pack in the rules format: declared stems, unspaced scripts, its own gazetteer. */
class LanguagePackTest {

  private static final String CUES =
      "\"negation\": [\"не\"], \"hypothetical\": [\"может\"], \"historical\": [\"в 1945\"], \"commemoration\": [\"годовщин*\"]";

  private static final String RU =
      "{\"version\": \"t-ru\", \"language\": {\"decompound\": false},"
          + "\"lexicons\": {"
          + CUES
          + ", \"exercise\": [\"учени*\", \"манёвр*\"], \"forces\": [\"войск*\", \"армия\", \"армии\"]},"
          + "\"categories\": {"
          + "\"military_exercise\": {\"rules\": [{\"id\": \"ru.ex\", \"all\": [\"@exercise\", \"@forces\"], \"weight\": 0.8, \"window\": 8, \"guarded\": true}]},"
          + "\"troop_dispatch\": {\"rules\": [{\"id\": \"ru.td\", \"all\": [\"перебро*\", \"войск*\"], \"weight\": 0.8, \"window\": 4}]},"
          + "\"parade\": {\"rules\": [{\"id\": \"ru.pa\", \"all\": [\"парад*\"], \"weight\": 0.8, \"window\": 1}]},"
          + "\"diplomatic_tension\": {\"rules\": [{\"id\": \"ru.dt\", \"all\": [\"вызвал*\", \"посл*\", \"@state\"], \"weight\": 0.8, \"window\": 8}]}}}";

  private static final String RU_GAZETTEER = "code\ttype\talias\tflags\nRUS\tname\tРосси*\t\nCHN\tname\tКита*\t\n";

  private static final String ZH =
      "{\"version\": \"t-zh\", \"settings\": {\"negationBefore\": 6},"
          + "\"lexicons\": {\"negation\": [\"否认\", \"没有\"], \"hypothetical\": [\"可能\"], \"historical\": [\"1945年\"], \"commemoration\": [\"周年\"]},"
          + "\"categories\": {"
          + "\"military_exercise\": {\"rules\": [{\"id\": \"zh.ex\", \"all\": [\"军事演习\"], \"weight\": 0.9, \"window\": 4, \"guarded\": true}]},"
          + "\"troop_dispatch\": {\"rules\": [{\"id\": \"zh.td\", \"all\": [\"派兵\"], \"weight\": 0.9, \"window\": 2}]},"
          + "\"parade\": {\"rules\": [{\"id\": \"zh.pa\", \"all\": [\"阅兵\"], \"weight\": 0.9, \"window\": 2}]},"
          + "\"diplomatic_tension\": {\"rules\": [{\"id\": \"zh.dt\", \"all\": [\"召见\", \"大使\"], \"weight\": 0.9, \"window\": 10}]}}}";

  private static final String ZH_GAZETTEER = "code\ttype\talias\tflags\nJPN\tname\t日本\t\nCHN\tname\t中国\t\n";

  @Test
  void declaredStemsMatchEveryInflectionInRulesAndGazetteer() {
    final Engine ru = LanguagePack.load("ru", RU, "ru.rules.json", null, null, RU_GAZETTEER, "ru.gazetteer.tsv").engine();

    final var r = ru.classify("Россия начала учения", "В учениях участвуют войска Западного округа. Москва вызвала посла Китая.");

    assertThat(r.results().get(Category.MILITARY_EXERCISE).applies()).isTrue();
    assertThat(r.results().get(Category.MILITARY_EXERCISE).evidence().get(0).text()).isEqualTo("учениях участвуют войска");
    assertThat(r.results().get(Category.DIPLOMATIC_TENSION).applies()).isTrue();
    assertThat(r.actors()).containsExactly("RUS", "CHN");
    assertThat(r.results().get(Category.PARADE).applies()).isFalse();
  }

  @Test
  void unspacedTextMatchesPhrasesAndNegationAndGivesEvidenceInItsOwnScript() {
    final Engine zh = LanguagePack.load("zh", ZH, "zh.rules.json", null, null, ZH_GAZETTEER, "zh.gazetteer.tsv").engine();

    final var r = zh.classify("", "中国举行军事演习。日本召见中国大使表示抗议。");
    assertThat(r.results().get(Category.MILITARY_EXERCISE).applies()).isTrue();
    assertThat(r.results().get(Category.DIPLOMATIC_TENSION).evidence().get(0).text()).isEqualTo("召见中国大使");
    assertThat(r.actors()).containsExactly("CHN", "JPN");

    assertThat(zh.classify("", "国防部否认举行军事演习。").results().get(Category.MILITARY_EXERCISE).applies()).isFalse();
  }
}
