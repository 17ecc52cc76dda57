package dev.outpost.classifier;

import dev.outpost.classifier.internal.LanguagePack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Classifies a news item's title and body into the four {@link Category categories}, with a
 * confidence and the evidence for each, and names the states involved.
 *
 * <p>The rules (lexicons, patterns, weights) are data: the built-in {@code rules.json}, optionally
 * extended or overridden by a user's file. {@link #version()} identifies the code and the exact
 * rules, so a result can be traced to what made it and a replay reproduced.
 *
 * <p>Each item is read in its language: the one its publisher declared, or else the one {@link
 * LanguageIdentifier} tells. English and the languages listed in {@code lang/languages.txt} each
 * have their own rules and gazetteer; an item in any other language is not classified, and its
 * {@link Classification#languageSupported()} says so. Text whose language cannot be told is read
 * as English.
 *
 * <p>Instances are immutable and thread-safe; the same input always gives the same output, and the
 * work is linear in the input's length.
 */
public final class Classifier {

  /** Bumped whenever the code changes what any input classifies as. */
  public static final String CODE_VERSION = "3";

  /** The language whose rules a user's rules file extends, and the one undetermined text is read in. */
  public static final String DEFAULT_LANGUAGE = "en";

  static final String RULES_RESOURCE = "dev/outpost/classifier/rules.json";
  static final String GAZETTEER_RESOURCE = "dev/outpost/classifier/gazetteer.tsv";
  static final String LANGUAGES_RESOURCE = "dev/outpost/classifier/lang/languages.txt";

  private final Map<String, LanguagePack> packs;
  private final LanguagePack english;
  private final LanguageIdentifier identifier;
  private final String version;
  private final String rulesVersion;

  private Classifier(final Map<String, LanguagePack> packs) {
    this.packs = Map.copyOf(packs);
    this.english = packs.get(DEFAULT_LANGUAGE);
    this.rulesVersion = english.rulesVersion();
    this.identifier = new LanguageIdentifier(packs.keySet());
    final StringBuilder fingerprint = new StringBuilder(identifier.fingerprint()).append('\n');
    for (final LanguagePack pack : packs.values().stream().sorted(java.util.Comparator.comparing(LanguagePack::code)).toList()) {
      fingerprint.append(pack.code()).append('\n').append(pack.fingerprint()).append('\n');
    }
    this.version = CODE_VERSION + "-" + rulesVersion + "-" + sha256(fingerprint.toString());
  }

  /**
   * @return a classifier with the built-in rules
   */
  public static Classifier withDefaultRules() {
    return load(null, null);
  }

  /**
   * @param rulesFile a user's rules file, merged over the built-in English rules
   * @return a classifier with both
   * @throws ClassifierException if the file cannot be read or is not valid
   */
  public static Classifier withRulesFile(final Path rulesFile) {
    final String text;
    try {
      text = Files.readString(rulesFile, StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new ClassifierException("Cannot read rules file " + rulesFile + ": " + e.getMessage(), e);
    }
    return load(text, rulesFile.toString());
  }

  /**
   * @param rulesJson a user's rules, merged over the built-in English rules
   * @param name a name for messages
   * @return a classifier with both
   */
  public static Classifier withRules(final String rulesJson, final String name) {
    return load(rulesJson, name);
  }

  private static Classifier load(final String override, final String overrideName) {
    final Map<String, LanguagePack> packs = new LinkedHashMap<>();
    packs.put(
        DEFAULT_LANGUAGE,
        LanguagePack.load(
            DEFAULT_LANGUAGE, resource(RULES_RESOURCE), "rules.json", override, overrideName,
            resource(GAZETTEER_RESOURCE), "gazetteer.tsv"));
    for (final String code : languageCodes()) {
      final String rules = "lang/" + code + ".rules.json";
      final String gazetteer = "lang/" + code + ".gazetteer.tsv";
      packs.put(
          code,
          LanguagePack.load(
              code, resource("dev/outpost/classifier/" + rules), rules, null, null,
              resource("dev/outpost/classifier/" + gazetteer), gazetteer));
    }
    return new Classifier(packs);
  }

  private static List<String> languageCodes() {
    final List<String> codes = new ArrayList<>();
    for (final String line : resource(LANGUAGES_RESOURCE).split("\n", -1)) {
      final String code = line.strip();
      if (!code.isEmpty() && !code.startsWith("#")) {
        if (!code.matches("[a-z]{2}") || code.equals(DEFAULT_LANGUAGE)) {
          throw new ClassifierException(LANGUAGES_RESOURCE + ": '" + code + "' is not a language code this list can hold");
        }
        codes.add(code);
      }
    }
    return codes;
  }

  /**
   * Classifies an item in the language its text is in.
   *
   * @param title the item's title; may be empty
   * @param body the item's body; may be empty
   * @return the verdict on every category, and the states named
   */
  public Classification classify(final String title, final String body) {
    return classify(title, body, null);
  }

  /**
   * @param title the item's title; may be empty
   * @param body the item's body; may be empty
   * @param declaredLanguage the language the publisher declared (a BCP 47 tag such as "de" or
   *     "pt-BR"), honoured when set; null, blank or "und" to have it identified
   * @return the verdict on every category, and the states named; when the language is not one
   *     Outpost reads, no category applies and {@link Classification#languageSupported()} is false
   */
  public Classification classify(final String title, final String body, final String declaredLanguage) {
    String language = LanguageIdentifier.normalize(declaredLanguage);
    if (language.equals(LanguageIdentifier.UNDETERMINED)) {
      language = identifier.identify(title, body);
    }
    final LanguagePack pack =
        language.equals(LanguageIdentifier.UNDETERMINED) ? english : packs.get(language);
    if (pack == null) {
      return Classification.unsupported(language, version);
    }
    final var r = pack.engine().classify(title, body);
    return new Classification(r.results(), r.actors(), version, language, true);
  }

  /**
   * @return the languages Outpost classifies, as ISO 639-1 codes, English first
   */
  public List<String> languages() {
    final List<String> codes = new ArrayList<>();
    codes.add(DEFAULT_LANGUAGE);
    packs.keySet().stream().filter(c -> !c.equals(DEFAULT_LANGUAGE)).sorted().forEach(codes::add);
    return codes;
  }

  /**
   * @param title the item's title
   * @param body the item's body
   * @return the language the classifier would read the item in, as {@link #classify} does
   */
  public String identifyLanguage(final String title, final String body) {
    return identifier.identify(title, body);
  }

  /**
   * The naive floor the rules must beat: a category whenever one of its trigger words appears.
   *
   * @param title the item's title
   * @param body the item's body
   * @return the categories whose English trigger words appear
   */
  public Set<Category> keywordBaseline(final String title, final String body) {
    return english.engine().keywordBaseline(title, body);
  }

  /**
   * @return the code version, the rules' own version and a hash of every language's rules and
   *     gazetteer, such as {@code 3-2026.12.05d-en-3f2a9c01d4e6}
   */
  public String version() {
    return version;
  }

  /**
   * @return the version string in the English rules file
   */
  public String rulesVersion() {
    return rulesVersion;
  }

  private static String resource(final String name) {
    try (InputStream in = Classifier.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new ClassifierException("The built-in resource " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the built-in resource " + name, e);
    }
  }

  private static String sha256(final String text) {
    try {
      final byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
