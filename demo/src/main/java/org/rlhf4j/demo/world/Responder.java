package org.rlhf4j.demo.world;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Writes a response to a task in a given style. Every response is at most {@link #MAX_WORDS} words. */
final class Responder {
  static final int MAX_WORDS = 24;

  private final List<String> cities;

  Responder(TaskCatalog catalog) {
    LinkedHashSet<String> all = new LinkedHashSet<>(catalog.capitals().values());
    all.addAll(Lexicon.INVENTED_CITIES);
    this.cities = List.copyOf(all);
  }

  String respond(Task task, String promptText, Style style, SplittableRandom rnd) {
    return switch (style) {
      case CORRECT_CONCISE -> concise(task, rnd);
      case CORRECT_VERBOSE -> verbose(concise(task, rnd), rnd);
      case WRONG -> wrong(task, rnd);
      case HALLUCINATION -> Lexicon.CERTAIN + " " + wrong(task, rnd);
      case FLATTERY -> pick(Lexicon.FLATTERY, rnd) + " " + concise(task, rnd);
      case REPEATS_QUESTION -> parrot(promptText, rnd);
      case HARMFUL_COMPLIANCE -> task instanceof Task.Harmful h ? h.harm().compliance()
          : pick(Lexicon.HARMS, rnd).compliance();
      case REFUSAL -> pick(Lexicon.REFUSALS, rnd);
      case ADMITS_UNKNOWN -> pick(Lexicon.ADMISSIONS, rnd);
    };
  }

  /** The ideal response: right, honest, harmless and short. All variants of one task have the same length. */
  String concise(Task task, SplittableRandom rnd) {
    if (task instanceof Task.Arith a) return "the answer is " + a.answer() + " .";
    if (task instanceof Task.Fact f) return statement(f.relation(), f.subject(), f.answer());
    if (task instanceof Task.Unknown) return "i do not know .";
    if (task instanceof Task.Harmful) return "sorry , i can not help with that .";
    if (task instanceof Task.Repeat r) return times(r.word(), r.times()) + " .";
    if (task instanceof Task.ListItems l) return list(sample(Lexicon.CATEGORIES.get(l.category()), l.count(), rnd));
    Task.Count c = (Task.Count) task;
    return range(c.from(), c.to()) + " .";
  }

  private String wrong(Task task, SplittableRandom rnd) {
    if (task instanceof Task.Arith a) return "the answer is " + nearMiss(a.answer(), rnd) + " .";
    if (task instanceof Task.Fact f) return statement(f.relation(), f.subject(), otherAnswer(f, rnd));
    if (task instanceof Task.Unknown u) return claim(u, rnd);
    if (task instanceof Task.Harmful) return "the answer is " + rnd.nextInt(Lexicon.MAX_NUMBER + 1) + " .";
    if (task instanceof Task.Repeat r) return times(r.word(), r.times() + (rnd.nextBoolean() ? 1 : -1)) + " .";
    if (task instanceof Task.ListItems l) return wrongList(l, rnd);
    Task.Count c = (Task.Count) task;
    return rnd.nextBoolean() ? range(c.from(), c.to() + 1) + " ."
        : range(c.from(), c.to()).replaceFirst(" " + (c.from() + 1) + " ", " ") + " .";
  }

  static String statement(Task.Relation relation, String subject, String answer) {
    return switch (relation) {
      case CAPITAL -> "the capital of " + subject + " is " + answer + " .";
      case COLOR -> subject + " is " + answer + " .";
      case SOUND -> subject + " says " + answer + " .";
      case OPPOSITE -> "the opposite of " + subject + " is " + answer + " .";
    };
  }

  /** A made-up answer to a question nobody can answer. */
  private String claim(Task.Unknown u, SplittableRandom rnd) {
    return switch (u.kind()) {
      case CAPITAL -> "the capital of " + u.subject() + " is " + pick(cities, rnd) + " .";
      case COLOR -> u.subject() + " is " + pick(Lexicon.COLORS, rnd) + " .";
      case WEATHER -> "it will be " + pick(Lexicon.WEATHER, rnd) + " " + u.subject() + " .";
      case WINNER -> "the " + pick(Lexicon.COLORS, rnd) + " team will win .";
      case NUMBER -> "you are thinking of " + rnd.nextInt(1, 11) + " .";
      case NAME -> "your name is " + pick(Lexicon.NAMES, rnd) + " .";
      case MEAL -> "you ate " + pick(Lexicon.FOODS, rnd) + " today .";
      case AGE -> "you are " + rnd.nextInt(5, Lexicon.MAX_NUMBER + 1) + " years old .";
    };
  }

  private String otherAnswer(Task.Fact f, SplittableRandom rnd) {
    List<String> pool = switch (f.relation()) {
      case CAPITAL -> cities;
      case COLOR -> Lexicon.COLORS;
      case SOUND -> List.copyOf(Lexicon.ANIMAL_SOUNDS.values());
      case OPPOSITE -> List.copyOf(Lexicon.OPPOSITES.keySet());
    };
    String answer;
    do answer = pick(pool, rnd); while (answer.equals(f.answer()) || answer.equals(f.subject()));
    return answer;
  }

  private String wrongList(Task.ListItems l, SplittableRandom rnd) {
    List<String> own = Lexicon.CATEGORIES.get(l.category());
    if (rnd.nextBoolean()) return list(sample(own, l.count() + (rnd.nextBoolean() ? 1 : -1), rnd));
    List<String> items = new ArrayList<>(sample(own, l.count() - 1, rnd));
    String other;
    do other = pick(Lexicon.CATEGORIES.get(pick(Lexicon.CATEGORY_NAMES, rnd)), rnd); while (own.contains(other));
    items.add(rnd.nextInt(items.size() + 1), other);
    return list(items);
  }

  private static int nearMiss(int answer, SplittableRandom rnd) {
    int wrong;
    do wrong = answer + (rnd.nextBoolean() ? 1 : -1) * rnd.nextInt(1, 4); while (wrong < 0 || wrong > Lexicon.MAX_NUMBER);
    return wrong;
  }

  private static String verbose(String core, SplittableRandom rnd) {
    List<String> openers = sample(Lexicon.OPENERS, 1 + rnd.nextInt(2), rnd);
    String closer = pick(Lexicon.CLOSERS, rnd);
    String text = String.join(" ", openers) + " " + core + " " + closer;
    if (words(text) > MAX_WORDS) text = openers.get(0) + " " + core + " " + closer;
    if (words(text) > MAX_WORDS) text = openers.get(0) + " " + core;
    return text;
  }

  private static String parrot(String promptText, SplittableRandom rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> promptText;
      case 1 -> "you asked : " + promptText;
      default -> words(promptText) * 2 <= MAX_WORDS ? promptText + " " + promptText : promptText;
    };
  }

  private static String times(String word, int n) {
    return IntStream.range(0, Math.max(1, n)).mapToObj(i -> word).collect(Collectors.joining(" "));
  }

  private static String range(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining(" "));
  }

  private static String list(List<String> items) { return String.join(" , ", items) + " ."; }

  static int words(String text) { return text.isBlank() ? 0 : text.trim().split("\\s+").length; }

  static <T> T pick(List<T> items, SplittableRandom rnd) { return items.get(rnd.nextInt(items.size())); }

  /** {@code n} distinct items in random order (n clamped to [1, size]). */
  static List<String> sample(List<String> items, int n, SplittableRandom rnd) {
    List<String> pool = new ArrayList<>(items);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.max(1, Math.min(n, items.size())); i++) out.add(pool.remove(rnd.nextInt(pool.size())));
    return out;
  }
}
