package dev.outpost.classifier.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.classifier.ClassifierException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One language's compiled rules, gazetteer and engine.
 *
 * <p>English is stemmed by {@link Stemmer}. Every other language is stemmed by a {@link
 * PrefixStemmer} made from its own data: each word written with a trailing {@code *} in its rules
 * or gazetteer declares a stem, and the rules file's {@code "language"} object may list {@code
 * "cliticPrefixes"} and set {@code "decompound"} and {@code "adjectivesFollowNouns"} (French,
 * Spanish, Portuguese: "deux diplomates russes", so the state an act is aimed at may follow its
 * span). Its gazetteer is matched on those stems too, so
 * "Росси*" finds Россия, России and Россией.
 *
 * @param code the ISO 639-1 code
 * @param engine applies the rules
 * @param rulesVersion the rules file's own version string
 * @param fingerprint the canonical rules and the gazetteer, hashed into the classifier version
 */
public record LanguagePack(String code, Engine engine, String rulesVersion, String fingerprint) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param code the language
   * @param rules the rules file's content
   * @param rulesName its name, for messages
   * @param override a user's rules merged over them, or null
   * @param overrideName its name
   * @param gazetteer the gazetteer's content
   * @param gazetteerName its name, for messages
   * @return the pack
   * @throws ClassifierException naming the file and what is wrong
   */
  public static LanguagePack load(
      final String code,
      final String rules,
      final String rulesName,
      final String override,
      final String overrideName,
      final String gazetteer,
      final String gazetteerName) {
    final Vocabulary vocabulary;
    final boolean english = code.equals("en");
    boolean adjectivesFollowNouns = false;
    if (english) {
      vocabulary = new Vocabulary();
    } else {
      final JsonNode root;
      try {
        root = JSON.readTree(rules);
      } catch (final JsonProcessingException e) {
        throw new ClassifierException("Rules file " + rulesName + " is not valid JSON: " + e.getOriginalMessage(), e);
      }
      final Set<String> stems = new TreeSet<>();
      collectStems(root.path("lexicons"), stems);
      collectStems(root.path("categories"), stems);
      for (final String line : gazetteer.split("\n", -1)) {
        final String[] cols = line.split("\t", -1);
        if (!line.startsWith("#") && cols.length >= 3) {
          stemsOf(cols[2], stems);
        }
      }
      final JsonNode language = root.path("language");
      final List<String> clitics = new ArrayList<>();
      language.path("cliticPrefixes").forEach(n -> clitics.add(n.asText()));
      vocabulary = new Vocabulary(new PrefixStemmer(stems, clitics, language.path("decompound").asBoolean(false)));
      adjectivesFollowNouns = language.path("adjectivesFollowNouns").asBoolean(false);
    }
    final Rules compiled = RulesLoader.load(rules, rulesName, override, overrideName, vocabulary);
    final Gazetteer g = Gazetteer.parse(gazetteer, gazetteerName, vocabulary, !english);
    return new LanguagePack(
        code, new Engine(compiled, g, vocabulary, adjectivesFollowNouns), compiled.version(), compiled.canonicalJson() + "\n" + gazetteer);
  }

  private static void collectStems(final JsonNode node, final Set<String> out) {
    if (node.isTextual()) {
      stemsOf(node.asText(), out);
    } else if (node.isContainerNode()) {
      node.forEach(child -> collectStems(child, out));
    }
  }

  /** Every whitespace-separated part ending in '*' declares its last word as a stem. */
  private static void stemsOf(final String phrase, final Set<String> out) {
    for (final String part : phrase.strip().split("\\s+", -1)) {
      if (part.length() > 1 && part.endsWith("*")) {
        final List<String> words = Tokens.words(part);
        if (!words.isEmpty()) {
          out.add(words.get(words.size() - 1));
        }
      }
    }
  }
}
