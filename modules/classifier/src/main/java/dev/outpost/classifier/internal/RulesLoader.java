package dev.outpost.classifier.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.classifier.Category;
import dev.outpost.classifier.ClassifierException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rules file (JSON), merges a user's file over it, checks every reference and compiles
 * the result. See the module README for the format.
 */
public final class RulesLoader {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private RulesLoader() {}

  /**
   * @param base the built-in rules
   * @param baseName the base file's name, for messages
   * @param override a user's rules to merge over the base, or null
   * @param overrideName the user file's name, for messages
   * @param vocabulary receives the rules' words
   * @return the compiled rules
   * @throws ClassifierException naming the file and the entry that is wrong
   */
  public static Rules load(
      final String base,
      final String baseName,
      final String override,
      final String overrideName,
      final Vocabulary vocabulary) {
    final ObjectNode merged = parse(base, baseName);
    String origin = baseName;
    if (override != null) {
      merge(merged, parse(override, overrideName), overrideName);
      origin = baseName + " + " + overrideName;
    }
    return compile(merged, origin, vocabulary);
  }

  private static ObjectNode parse(final String json, final String name) {
    try {
      final JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new ClassifierException("Rules file " + name + " must hold a JSON object");
      }
      return (ObjectNode) node;
    } catch (final JsonProcessingException e) {
      throw new ClassifierException(
          "Rules file " + name + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Merges a user's rules: settings override; lexicons append (or replace, under {@code
   * replaceLexicons}); rules and blockers replace those with the same id and add the rest; ids
   * under {@code remove} are dropped.
   */
  private static void merge(final ObjectNode base, final ObjectNode user, final String name) {
    if (user.has("version")) {
      base.put("version", base.path("version").asText() + "+" + user.get("version").asText());
    }
    if (user.has("settings")) {
      final ObjectNode settings = base.withObjectProperty("settings");
      user.get("settings").properties().iterator().forEachRemaining(e -> settings.set(e.getKey(), e.getValue()));
    }
    if (user.has("lexicons")) {
      final ObjectNode lexicons = base.withObjectProperty("lexicons");
      user.get("lexicons")
          .properties().iterator()
          .forEachRemaining(
              e -> {
                final ArrayNode target =
                    lexicons.has(e.getKey()) ? (ArrayNode) lexicons.get(e.getKey()) : lexicons.putArray(e.getKey());
                e.getValue().forEach(target::add);
              });
    }
    if (user.has("replaceLexicons")) {
      final ObjectNode lexicons = base.withObjectProperty("lexicons");
      user.get("replaceLexicons").properties().iterator().forEachRemaining(e -> lexicons.set(e.getKey(), e.getValue()));
    }
    if (user.has("categories")) {
      final ObjectNode categories = base.withObjectProperty("categories");
      final Iterator<Map.Entry<String, JsonNode>> it = user.get("categories").properties().iterator();
      while (it.hasNext()) {
        final Map.Entry<String, JsonNode> e = it.next();
        final ObjectNode category = categories.withObjectProperty(e.getKey());
        for (final String list : List.of("rules", "blockers")) {
          if (e.getValue().has(list)) {
            final ArrayNode target = category.has(list) ? (ArrayNode) category.get(list) : category.putArray(list);
            final Set<String> seen = new HashSet<>();
            for (final JsonNode rule : e.getValue().get(list)) {
              final String id = rule.path("id").asText();
              if (!seen.add(id)) {
                throw new ClassifierException("Rules file " + name + ": rule id '" + id + "' is used twice");
              }
              boolean replaced = false;
              for (int i = 0; i < target.size(); i++) {
                if (target.get(i).path("id").asText().equals(id)) {
                  target.set(i, rule);
                  replaced = true;
                }
              }
              if (!replaced) {
                target.add(rule);
              }
            }
          }
        }
        for (final String list : List.of("vetoes", "keywords")) {
          if (e.getValue().has(list)) {
            final ArrayNode target = category.has(list) ? (ArrayNode) category.get(list) : category.putArray(list);
            e.getValue().get(list).forEach(target::add);
          }
        }
      }
    }
    if (user.has("remove")) {
      final Set<String> ids = new HashSet<>();
      user.get("remove").forEach(id -> ids.add(id.asText()));
      final Set<String> found = new HashSet<>();
      base.withObjectProperty("categories")
          .properties().iterator()
          .forEachRemaining(
              e -> {
                for (final String list : List.of("rules", "blockers")) {
                  final JsonNode rules = e.getValue().get(list);
                  if (rules != null) {
                    for (int i = rules.size() - 1; i >= 0; i--) {
                      if (ids.contains(rules.get(i).path("id").asText())) {
                        found.add(rules.get(i).path("id").asText());
                        ((ArrayNode) rules).remove(i);
                      }
                    }
                  }
                }
              });
      ids.removeAll(found);
      if (!ids.isEmpty()) {
        throw new ClassifierException(
            "Rules file " + name + " removes rules that do not exist: " + String.join(", ", ids.stream().sorted().toList()));
      }
    }
  }

  private static Rules compile(final ObjectNode root, final String origin, final Vocabulary vocabulary) {
    final String version = root.path("version").asText("");
    if (version.isBlank()) {
      throw new ClassifierException("Rules " + origin + " need a \"version\"");
    }
    final JsonNode s = root.path("settings");
    final Rules.Settings settings =
        new Rules.Settings(
            number(s, "threshold", 0.5, origin),
            number(s, "titleWeight", 0.5, origin),
            (int) number(s, "negationBefore", 5, origin),
            (int) number(s, "negationAfter", 3, origin),
            (int) number(s, "hypotheticalBefore", 6, origin),
            (int) number(s, "historicalBefore", 8, origin),
            (int) number(s, "historicalAfter", 6, origin),
            (int) number(s, "denialBefore", 15, origin),
            (int) number(s, "refutationAfter", 12, origin),
            (int) number(s, "backgroundBefore", 4, origin),
            (int) number(s, "maxEvidence", 5, origin));

    final JsonNode lexicons = root.path("lexicons");
    final Compiler compiler = new Compiler(origin, lexicons, vocabulary);
    lexicons.fieldNames().forEachRemaining(name -> compiler.lexicon(name, lexicons));
    final int negation = compiler.requireLexicon("negation");
    final int hypothetical = compiler.requireLexicon("hypothetical");
    final int historical = compiler.requireLexicon("historical");
    final int commemoration = compiler.requireLexicon("commemoration");
    final int denial = lexicons.has("denial") ? compiler.lexicon("denial", lexicons) : -1;
    final int refutation =
        lexicons.has("refutation") ? compiler.lexicon("refutation", lexicons) : -1;
    final int background =
        lexicons.has("background") ? compiler.lexicon("background", lexicons) : -1;

    final Map<Category, Rules.CategoryRules> categories = new EnumMap<>(Category.class);
    final JsonNode cats = root.path("categories");
    cats.fieldNames()
        .forEachRemaining(
            name -> {
              if (Category.fromLabel(name).isEmpty()) {
                throw new ClassifierException(
                    "Rules " + origin + " name an unknown category '" + name + "'; known: "
                        + java.util.Arrays.stream(Category.values()).map(Category::label).toList());
              }
            });
    final Set<String> ids = new HashSet<>();
    for (final Category category : Category.values()) {
      final JsonNode c = cats.path(category.label());
      categories.put(
          category,
          new Rules.CategoryRules(
              compiler.rules(c.path("rules"), category, true, ids),
              compiler.rules(c.path("blockers"), category, false, ids),
              compiler.termList(c.path("vetoes"), category.label() + ".vetoes"),
              c.path("vetoReach").asInt(0),
              compiler.termList(c.path("keywords"), category.label() + ".keywords"),
              c.path("titleConfirmedByBody").asBoolean(false)));
      if (categories.get(category).rules().isEmpty()) {
        throw new ClassifierException("Rules " + origin + " have no rules for " + category.label());
      }
    }
    root.path("abbreviations").forEach(a -> vocabulary.flag(a.asText().toLowerCase(java.util.Locale.ROOT), Vocabulary.ABBREVIATION));
    root.path("clauseWords").forEach(a -> vocabulary.flag(a.asText().toLowerCase(java.util.Locale.ROOT), Vocabulary.CLAUSE_WORD));
    final String canonical;
    try {
      canonical = JSON.writeValueAsString(JSON.treeToValue(root, Object.class));
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("A parsed JSON tree always serializes", e);
    }
    return new Rules(
        version,
        settings,
        compiler.trie,
        compiler.exactTrie,
        List.copyOf(compiler.names),
        categories,
        negation,
        hypothetical,
        historical,
        commemoration,
        denial,
        refutation,
        background,
        canonical);
  }

  private static double number(final JsonNode settings, final String key, final double fallback, final String origin) {
    final JsonNode n = settings.get(key);
    if (n == null) {
      return fallback;
    }
    if (!n.isNumber() || n.asDouble() < 0) {
      throw new ClassifierException("Rules " + origin + ": settings." + key + " must be a non-negative number, got " + n);
    }
    return n.asDouble();
  }

  /** Turns lexicons and phrases into term ids in one trie. */
  private static final class Compiler {
    private final String origin;
    private final PhraseTrie trie = new PhraseTrie();
    private final PhraseTrie exactTrie = new PhraseTrie();

    /** A phrase's word ids, and whether they are exact lower-case words or stems. */
    private record Phrase(boolean exact, List<Integer> keys) {}

    private void add(final Phrase phrase, final int id) {
      (phrase.exact() ? exactTrie : trie).add(phrase.keys(), id);
    }
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> lexiconIds = new LinkedHashMap<>();
    private final Map<String, Integer> phraseIds = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();
    private final JsonNode lexicons;
    private final Vocabulary vocabulary;

    Compiler(final String origin, final JsonNode lexicons, final Vocabulary vocabulary) {
      this.origin = origin;
      this.lexicons = lexicons;
      this.vocabulary = vocabulary;
    }

    int lexicon(final String name, final JsonNode all) {
      final Integer known = lexiconIds.get(name);
      if (known != null) {
        return known;
      }
      if (!all.has(name)) {
        throw new ClassifierException("Rules " + origin + " refer to an unknown lexicon '@" + name + "'");
      }
      if (!resolving.add(name)) {
        throw new ClassifierException("Rules " + origin + ": lexicon '@" + name + "' includes itself");
      }
      final int id = names.size();
      names.add("@" + name);
      lexiconIds.put(name, id);
      for (final JsonNode entry : all.get(name)) {
        final String text = entry.asText();
        if (text.startsWith("@")) {
          // Compile the included lexicon on its own, then give its phrases this id too.
          lexicon(text.substring(1), all);
          for (final Phrase phrase : phrasesOf(text.substring(1), all, new HashSet<>())) {
            add(phrase, id);
          }
        } else {
          add(keys(text, "@" + name), id);
        }
      }
      resolving.remove(name);
      return id;
    }

    private List<Phrase> phrasesOf(final String name, final JsonNode all, final Set<String> seen) {
      final List<Phrase> out = new ArrayList<>();
      if (!seen.add(name)) {
        return out;
      }
      for (final JsonNode entry : all.get(name)) {
        final String text = entry.asText();
        if (text.startsWith("@")) {
          out.addAll(phrasesOf(text.substring(1), all, seen));
        } else {
          out.add(keys(text, "@" + name));
        }
      }
      return out;
    }

    int requireLexicon(final String name) {
      if (!lexicons.has(name)) {
        throw new ClassifierException("Rules " + origin + " need a lexicon '" + name + "'");
      }
      return lexicon(name, lexicons);
    }

    int term(final String text, final String where) {
      if (text.equals("@state")) {
        return Rules.STATE_TERM;
      }
      if (text.equals("@number")) {
        return Rules.NUMBER_TERM;
      }
      if (text.startsWith("@")) {
        return lexicon(text.substring(1), lexicons);
      }
      final Phrase phrase = keys(text, where);
      final String key = (phrase.exact() ? "=" : "") + phrase.keys();
      return phraseIds.computeIfAbsent(
          key,
          k -> {
            final int id = names.size();
            names.add("\"" + text + "\"");
            add(phrase, id);
            return id;
          });
    }

    int[] termList(final JsonNode list, final String where) {
      final int[] terms = new int[list.size()];
      for (int i = 0; i < terms.length; i++) {
        terms[i] = term(list.get(i).asText(), where);
      }
      return terms;
    }

    List<Rules.Rule> rules(final JsonNode list, final Category category, final boolean scoring, final Set<String> ids) {
      final List<Rules.Rule> out = new ArrayList<>();
      for (final JsonNode r : list) {
        final String id = r.path("id").asText("");
        if (id.isBlank()) {
          throw new ClassifierException("Rules " + origin + ": a rule of " + category.label() + " has no id: " + r);
        }
        if (!ids.add(id)) {
          throw new ClassifierException("Rules " + origin + ": rule id '" + id + "' is used twice");
        }
        final JsonNode all = r.path("all");
        if (!all.isArray() || all.isEmpty()) {
          throw new ClassifierException("Rules " + origin + ": rule '" + id + "' needs a non-empty \"all\" list");
        }
        final int[] terms = termList(all, "rule '" + id + "'");
        final double weight = r.path("weight").asDouble(scoring ? -1 : 1);
        if (weight <= 0 || weight > 1) {
          throw new ClassifierException("Rules " + origin + ": rule '" + id + "' needs a weight in (0, 1], got " + r.path("weight"));
        }
        final int window = r.path("window").asInt(8);
        if (window < 1) {
          throw new ClassifierException("Rules " + origin + ": rule '" + id + "' has a window below 1");
        }
        if (scoring && r.path("background").asBoolean(false) && !lexicons.has("background")) {
          throw new ClassifierException(
              "Rules " + origin + ": rule '" + id + "' asks for \"background\" but there is no lexicon 'background'");
        }
        out.add(
            new Rules.Rule(
                id,
                terms,
                window,
                weight,
                r.path("twoStates").asBoolean(false),
                r.path("itemTwoStates").asBoolean(false),
                r.path("guarded").asBoolean(scoring),
                r.path("ordered").asBoolean(false),
                r.path("clause").asBoolean(false),
                scoring && r.path("background").asBoolean(false),
                !scoring && r.path("sentence").asBoolean(false)));
      }
      return List.copyOf(out);
    }

    /** A phrase written {@code =like this} matches those exact words; others match on stems. */
    private Phrase keys(final String phrase, final String where) {
      final boolean exact = phrase.startsWith("=");
      final List<String> words = Tokens.words(exact ? phrase.substring(1) : phrase);
      if (words.isEmpty()) {
        throw new ClassifierException("Rules " + origin + ": an empty phrase in " + where);
      }
      final List<Integer> keys = new ArrayList<>(words.size());
      for (final String word : words) {
        keys.add(vocabulary.add(exact ? word : vocabulary.stemmer().stem(word)));
      }
      return new Phrase(exact, keys);
    }
  }
}
