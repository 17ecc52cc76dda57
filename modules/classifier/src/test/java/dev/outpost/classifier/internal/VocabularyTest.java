package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VocabularyTest {

  @Test
  void wordsKeepTheirIdsAndFlagsWhileTheTableGrows() {
    final Vocabulary vocabulary = new Vocabulary();
    final int first = vocabulary.add("troops");
    vocabulary.flag("gen", Vocabulary.ABBREVIATION);

    // Enough words to grow every array several times; flag the very word that triggers a growth.
    for (int i = 0; i < 5_000; i++) {
      vocabulary.flag("word" + i, Vocabulary.CLAUSE_WORD);
    }

    assertThat(vocabulary.add("troops")).isEqualTo(first);
    assertThat(vocabulary.has(vocabulary.add("gen"), Vocabulary.ABBREVIATION)).isTrue();
    for (int i = 0; i < 5_000; i++) {
      final char[] word = ("word" + i).toCharArray();
      final int id = vocabulary.find(word, 0, word.length);
      assertThat(id).isNotEqualTo(Vocabulary.UNKNOWN);
      assertThat(vocabulary.has(id, Vocabulary.CLAUSE_WORD)).as("word%d", i).isTrue();
      assertThat(vocabulary.word(id)).isEqualTo("word" + i);
    }
    assertThat(vocabulary.find("absent".toCharArray(), 0, 6)).isEqualTo(Vocabulary.UNKNOWN);
  }

  @Test
  void aPrefixHashFindsTheSameWord() {
    final Vocabulary vocabulary = new Vocabulary();
    final int id = vocabulary.add("dril");
    final char[] buf = "drills".toCharArray();
    int h = 0;
    for (int k = 0; k < 4; k++) {
      h = 31 * h + buf[k];
    }

    assertThat(vocabulary.find(buf, 0, 4, Vocabulary.finish(h, 4))).isEqualTo(id);
    assertThat(vocabulary.find(buf, 0, 4)).isEqualTo(id);
  }
}
