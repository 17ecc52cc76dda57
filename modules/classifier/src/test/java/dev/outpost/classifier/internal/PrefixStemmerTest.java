package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixStemmerTest {

  @Test
  void aWordIsKeyedByTheLongestDeclaredStemItStartsWith() {
    final PrefixStemmer s = new PrefixStemmer(List.of("учени", "учен", "парад"), List.of(), false);

    assertThat(s.stem("учениях")).isEqualTo("учени");
    assertThat(s.stem("учения")).isEqualTo("учени");
    assertThat(s.stem("ученый")).isEqualTo("учен");
    assertThat(s.stem("парадом")).isEqualTo("парад");
    // A word no stem starts is left whole.
    assertThat(s.stem("войска")).isEqualTo("войска");
    assertThat(s.stem("уч")).isEqualTo("уч");
  }

  @Test
  void cliticPrefixesAreTriedOffTheFrontOnlyWhenNoStemStartsTheWord() {
    final PrefixStemmer s = new PrefixStemmer(List.of("مناور", "وزير"), List.of("و", "ال", "وال", "ب"), false);

    assertThat(s.stem("المناورات")).isEqualTo("مناور");
    assertThat(s.stem("والمناورات")).isEqualTo("مناور");
    assertThat(s.stem("بمناورات")).isEqualTo("مناور");
    // "وزير" starts with the clitic "و" but is a stem itself: it is not cut.
    assertThat(s.stem("وزيرة")).isEqualTo("وزير");
    assertThat(s.stem("الجيش")).isEqualTo("الجيش");
  }

  @Test
  void decompoundingKeysACompoundByADeclaredHeadOfFourLettersOrMore() {
    final PrefixStemmer s = new PrefixStemmer(List.of("manöver", "truppe", "übung", "tag"), List.of(), true);

    assertThat(s.stem("großmanöver")).isEqualTo("manöver");
    assertThat(s.stem("marinemanövern")).isEqualTo("manöver");
    assertThat(s.stem("nato-truppen".substring(5))).isEqualTo("truppe");
    assertThat(s.stem("militärübungen")).isEqualTo("übung");
    // A three-letter stem never heads a compound: "Bundestag" stays whole.
    assertThat(s.stem("bundestag")).isEqualTo("bundestag");
    assertThat(new PrefixStemmer(List.of("manöver"), List.of(), false).stem("großmanöver")).isEqualTo("großmanöver");
  }
}
