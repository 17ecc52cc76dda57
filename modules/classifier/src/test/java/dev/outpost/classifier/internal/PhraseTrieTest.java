package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trie against a brute-force search for every phrase at every token. */
class PhraseTrieTest {

  private static final List<String> WORDS =
      List.of(
          "troops", "sent", "to", "the", "border", "of", "joint", "drills", "naval", "exercise", "army", "parade",
          "envoy", "recalled", "and", "in", "a", "military", "alpha", "beta");

  /** Words no phrase uses: most of a text. */
  private static final List<String> OTHER_WORDS = List.of("said", "on", "monday", "officials", "weather", "market");

  private record Match(int term, int first, int last) {}

  @Test
  void findsWhatABruteForceSearchFindsInRandomTexts() {
    final Random random = new Random(19);
    final Vocabulary vocabulary = new Vocabulary();
    final PhraseTrie trie = new PhraseTrie();
    final List<List<Integer>> phrases = new ArrayList<>();
    final List<Integer> terms = new ArrayList<>();
    // Thirty phrases that begin with the same word: a node with that many transitions.
    for (int k = 0; k < 30; k++) {
      final String second = k < WORDS.size() ? WORDS.get(k) : "w" + k;
      add(trie, vocabulary, phrases, terms, List.of("alpha", second), 1000 + k);
    }
    for (int k = 0; k < 200; k++) {
      final int length = 1 + random.nextInt(4);
      final List<String> words = new ArrayList<>();
      for (int w = 0; w < length; w++) {
        words.add(WORDS.get(random.nextInt(WORDS.size())));
      }
      // Some phrases share a term, some a term with another phrase's words.
      add(trie, vocabulary, phrases, terms, words, random.nextInt(120));
    }
    for (int round = 0; round < 300; round++) {
      final String text = randomText(random);
      final Tokens tokens = Tokens.of(text, vocabulary);
      final List<Match> found = new ArrayList<>();
      trie.scan(tokens, false, (term, first, last) -> found.add(new Match(term, first, last)));
      // The same matches in the same order: by first token, shorter before longer, a node's
      // terms in the order they were added.
      assertThat(found).as(text).isEqualTo(bruteForce(tokens, phrases, terms));
    }
  }

  @Test
  void scanningBothTriesGivesWhatEachGivesAtEachTokenInTurn() {
    final Random random = new Random(7);
    final Vocabulary vocabulary = new Vocabulary();
    final PhraseTrie stems = new PhraseTrie();
    final PhraseTrie exact = new PhraseTrie();
    for (int k = 0; k < 120; k++) {
      final List<Integer> ids = new ArrayList<>();
      for (int w = 0, length = 1 + random.nextInt(3); w < length; w++) {
        final String word = WORDS.get(random.nextInt(WORDS.size()));
        // Stems for one trie, lower-case words for the other, as the rules' two tries hold them.
        ids.add(k % 3 == 0 ? vocabulary.add(word) : vocabulary.add(vocabulary.stemmer().stem(word)));
      }
      // Some terms have phrases in both tries.
      (k % 3 == 0 ? exact : stems).add(ids, random.nextInt(40));
    }
    int found = 0;
    for (int round = 0; round < 200; round++) {
      final Tokens tokens = Tokens.of(randomText(random), vocabulary);
      final List<Match> both = new ArrayList<>();
      PhraseTrie.scanBoth(stems, exact, tokens, (term, first, last) -> both.add(new Match(term, first, last)));
      final List<Match> inTurn = new ArrayList<>();
      for (int i = 0; i < tokens.size(); i++) {
        stems.scanAt(tokens, true, i, (term, first, last) -> inTurn.add(new Match(term, first, last)));
        exact.scanAt(tokens, false, i, (term, first, last) -> inTurn.add(new Match(term, first, last)));
      }
      assertThat(both).as(tokens.text()).isEqualTo(inTurn);
      found += inTurn.size();
    }
    // Enough matches that the comparison says something.
    assertThat(found).isGreaterThan(500);
  }

  @Test
  void aPhraseAddedAfterAScanIsFoundByTheNextScan() {
    final Vocabulary vocabulary = new Vocabulary();
    final PhraseTrie trie = new PhraseTrie();
    final List<List<Integer>> phrases = new ArrayList<>();
    final List<Integer> terms = new ArrayList<>();
    add(trie, vocabulary, phrases, terms, List.of("joint", "drills"), 1);
    final Tokens first = Tokens.of("Joint drills and a naval exercise began.", vocabulary);
    assertThat(scan(trie, first)).containsExactly(new Match(1, 0, 1));

    add(trie, vocabulary, phrases, terms, List.of("naval", "exercise"), 2);
    final Tokens again = Tokens.of("Joint drills and a naval exercise began.", vocabulary);
    assertThat(scan(trie, again)).containsExactly(new Match(1, 0, 1), new Match(2, 4, 5));
  }

  @Test
  void aMatchNeverCrossesASentence() {
    final Vocabulary vocabulary = new Vocabulary();
    final PhraseTrie trie = new PhraseTrie();
    trie.add(List.of(vocabulary.add("troops"), vocabulary.add("sent")), 7);
    assertThat(scan(trie, Tokens.of("More troops. Sent home.", vocabulary))).isEmpty();
    assertThat(scan(trie, Tokens.of("More troops sent home.", vocabulary))).containsExactly(new Match(7, 1, 2));
  }

  @Test
  void anEmptyPhraseIsRefused() {
    assertThatThrownBy(() -> new PhraseTrie().add(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Match> scan(final PhraseTrie trie, final Tokens tokens) {
    final List<Match> found = new ArrayList<>();
    trie.scan(tokens, false, (term, first, last) -> found.add(new Match(term, first, last)));
    return found;
  }

  private static void add(
      final PhraseTrie trie,
      final Vocabulary vocabulary,
      final List<List<Integer>> phrases,
      final List<Integer> terms,
      final List<String> words,
      final int term) {
    final List<Integer> ids = words.stream().map(vocabulary::add).toList();
    trie.add(ids, term);
    phrases.add(ids);
    terms.add(term);
  }

  private static String randomText(final Random random) {
    final StringBuilder text = new StringBuilder();
    final int length = 5 + random.nextInt(60);
    for (int k = 0; k < length; k++) {
      final List<String> from = random.nextInt(4) == 0 ? OTHER_WORDS : WORDS;
      String word = from.get(random.nextInt(from.size()));
      if (random.nextInt(8) == 0) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      text.append(word);
      // A period before a capital ends the sentence; the trie must not match across it.
      text.append(random.nextInt(7) == 0 ? ". " : " ");
    }
    return text.toString();
  }

  private static List<Match> bruteForce(final Tokens tokens, final List<List<Integer>> phrases, final List<Integer> terms) {
    final Set<Match> out = new LinkedHashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      for (int p = 0; p < phrases.size(); p++) {
        final List<Integer> phrase = phrases.get(p);
        final int last = i + phrase.size() - 1;
        if (last >= tokens.size() || tokens.sentence(last) != tokens.sentence(i)) {
          continue;
        }
        boolean same = true;
        for (int k = 0; k < phrase.size() && same; k++) {
          same = tokens.lowerId(i + k) == phrase.get(k);
        }
        if (same) {
          out.add(new Match(terms.get(p), i, last));
        }
      }
    }
    final List<Match> sorted = new ArrayList<>(out);
    // Stable: matches of one span keep the order their phrases were added in.
    sorted.sort((a, b) -> a.first() != b.first() ? Integer.compare(a.first(), b.first()) : Integer.compare(a.last(), b.last()));
    return sorted;
  }
}
