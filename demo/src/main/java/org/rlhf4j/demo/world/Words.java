package org.rlhf4j.demo.world;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A response as the gold reward reads it: lowercase tokens, cut at the first {@code <eos>} or role word (a model
 * writing the next turn itself; remembered as {@link #wroteNextTurn}), with {@code <pad>} and {@code <bos>} dropped
 * and punctuation split off words ("7." reads as "7 ."), so any text can be judged.
 */
final class Words {
  private static final String PUNCTUATION = ".,!?:";

  final List<String> tokens;
  final boolean wroteNextTurn;

  Words(String text) {
    List<String> all = tokenize(text == null ? "" : text);
    int end = 0;
    while (end < all.size() && !Lexicon.ROLES.contains(all.get(end))) end++;
    this.tokens = List.copyOf(all.subList(0, end));
    this.wroteNextTurn = end < all.size();
  }

  int size() { return tokens.size(); }

  boolean isEmpty() { return tokens.isEmpty(); }

  static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : text.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      if (raw.isEmpty() || raw.equals("<pad>") || raw.equals("<bos>")) continue;
      if (raw.equals("<eos>")) break;
      if (Lexicon.ROLES.contains(raw) || raw.startsWith("<")) { out.add(raw); continue; }
      splitPunctuation(raw, out);
    }
    return out;
  }

  private static void splitPunctuation(String raw, List<String> out) {
    StringBuilder word = new StringBuilder();
    for (char c : raw.toCharArray()) {
      if (PUNCTUATION.indexOf(c) >= 0) {
        if (word.length() > 0) { out.add(word.toString()); word.setLength(0); }
        out.add(String.valueOf(c));
      } else {
        word.append(c);
      }
    }
    if (word.length() > 0) out.add(word.toString());
  }

  boolean containsAny(Set<String> words) {
    return tokens.stream().anyMatch(words::contains);
  }

  boolean containsPhrase(List<List<String>> phrases) {
    for (List<String> phrase : phrases) {
      for (int i = 0; i + phrase.size() <= tokens.size(); i++) {
        if (tokens.subList(i, i + phrase.size()).equals(phrase)) return true;
      }
    }
    return false;
  }

  long count(String word) { return tokens.stream().filter(word::equals).count(); }

  /** Every token that is a whole non-negative number, in order. */
  List<Integer> numbers() { return numbers(tokens); }

  static List<Integer> numbers(List<String> tokens) {
    List<Integer> out = new ArrayList<>();
    for (String t : tokens) {
      if (!t.isEmpty() && t.length() <= 6 && t.chars().allMatch(Character::isDigit)) out.add(Integer.parseInt(t));
    }
    return out;
  }

  /** Share of repeated bigrams (0 = none), ignoring {@code allowed} tokens (words the task asks to repeat). */
  double repetition(Set<String> allowed) {
    List<String> kept = tokens.stream().filter(t -> !allowed.contains(t)).toList();
    if (kept.size() < 3) return 0;
    Set<List<String>> distinct = new HashSet<>();
    int bigrams = kept.size() - 1;
    for (int i = 0; i < bigrams; i++) distinct.add(kept.subList(i, i + 2));
    return (bigrams - distinct.size()) / (double) bigrams;
  }

  /** Share of the prompt's word trigrams that the response copies. */
  double copiedFrom(List<String> prompt) {
    if (prompt.size() < 3) return tokens.containsAll(prompt) && !prompt.isEmpty() ? 1 : 0;
    Set<List<String>> own = new HashSet<>();
    for (int i = 0; i + 3 <= tokens.size(); i++) own.add(tokens.subList(i, i + 3));
    int trigrams = prompt.size() - 2;
    int copied = 0;
    for (int i = 0; i < trigrams; i++) if (own.contains(prompt.subList(i, i + 3))) copied++;
    return copied / (double) trigrams;
  }

  /** Tokens outside the vocabulary or special, plus one for writing the next turn. */
  int garbage(Set<String> vocabulary) {
    int n = wroteNextTurn ? 1 : 0;
    for (String t : tokens) if (!vocabulary.contains(t) || t.startsWith("<")) n++;
    return n;
  }

  /** The tokens with every occurrence of {@code phrase} removed. */
  List<String> without(List<String> phrase) {
    List<String> out = new java.util.ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      if (!phrase.isEmpty() && i + phrase.size() <= tokens.size() && tokens.subList(i, i + phrase.size()).equals(phrase)) {
        i += phrase.size();
      } else {
        out.add(tokens.get(i++));
      }
    }
    return out;
  }

  boolean endsWithPunctuation() {
    return !tokens.isEmpty() && Lexicon.END_PUNCTUATION.contains(tokens.get(tokens.size() - 1));
  }
}
