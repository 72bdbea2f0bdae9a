package org.rlhf4j.demo.world;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.rlhf4j.demo.world.Task.Relation;
import org.rlhf4j.demo.world.Task.Unknowable;

/**
 * Every prompt of one world, each with its task. The seed decides the invented part of the fact table: which
 * invented lands and creatures are known (and their capitals and colours) and which stay unknown.
 */
final class TaskCatalog {
  private static final int KNOWN_LANDS = 6;
  private static final int KNOWN_CREATURES = 4;

  private final Map<String, String> capitals = new LinkedHashMap<>(Lexicon.CAPITALS);
  private final Map<String, String> thingColors = new LinkedHashMap<>(Lexicon.THING_COLORS);
  private final List<String> unknownLands = new ArrayList<>();
  private final List<String> unknownCreatures = new ArrayList<>();
  private final Map<String, Task> byText = new LinkedHashMap<>();
  private final Map<String, Prompt> prompts = new LinkedHashMap<>();
  private final Map<Family, List<Prompt>> byFamily = new EnumMap<>(Family.class);

  TaskCatalog(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> lands = shuffled(Lexicon.INVENTED_LANDS, rnd);
    List<String> cities = shuffled(Lexicon.INVENTED_CITIES, rnd);
    for (int i = 0; i < lands.size(); i++) {
      if (i < KNOWN_LANDS) capitals.put(lands.get(i), cities.get(i)); else unknownLands.add(lands.get(i));
    }
    List<String> creatures = shuffled(Lexicon.INVENTED_CREATURES, rnd);
    for (int i = 0; i < creatures.size(); i++) {
      if (i < KNOWN_CREATURES) {
        thingColors.put(creatures.get(i), Lexicon.COLORS.get(rnd.nextInt(Lexicon.COLORS.size())));
      } else {
        unknownCreatures.add(creatures.get(i));
      }
    }
    for (Family f : Family.values()) byFamily.put(f, new ArrayList<>());
    addArithmetic();
    addFacts();
    addUnknowns();
    addHarmful();
    addInstructions();
    byFamily.replaceAll((f, l) -> List.copyOf(l));
  }

  Map<String, String> capitals() { return Collections.unmodifiableMap(capitals); }
  Map<String, String> thingColors() { return Collections.unmodifiableMap(thingColors); }
  List<Prompt> prompts(Family f) { return byFamily.get(f); }
  List<Prompt> allPrompts() { return List.copyOf(prompts.values()); }

  /** The prompt with this text, or null. */
  Prompt prompt(String text) { return prompts.get(text); }

  /** The task behind a prompt text of this world, or null when the text is not one of its prompts. */
  Task task(String promptText) { return byText.get(promptText); }

  private void addArithmetic() {
    for (String template : List.of("what is %d %s %d ?", "how much is %d %s %d ?")) {
      for (int a = 0; a <= 10; a++) {
        for (int b = 0; b <= 10; b++) {
          add(String.format(template, a, "plus", b), new Task.Arith(a, "plus", b));
          if (b <= a) add(String.format(template, a, "minus", b), new Task.Arith(a, "minus", b));
          if (a >= 1 && a <= 5 && b >= 1 && b <= 5) add(String.format(template, a, "times", b), new Task.Arith(a, "times", b));
        }
      }
    }
  }

  private void addFacts() {
    capitals.forEach((country, city) -> {
      add("what is the capital of " + country + " ?", new Task.Fact(Relation.CAPITAL, country, city));
      add("name the capital of " + country + " .", new Task.Fact(Relation.CAPITAL, country, city));
    });
    thingColors.forEach((thing, color) -> add("what color is " + thing + " ?", new Task.Fact(Relation.COLOR, thing, color)));
    Lexicon.ANIMAL_SOUNDS.forEach((animal, sound) -> {
      add("what does " + animal + " say ?", new Task.Fact(Relation.SOUND, animal, sound));
      add("what sound does " + animal + " make ?", new Task.Fact(Relation.SOUND, animal, sound));
    });
    Lexicon.OPPOSITES.forEach((word, opposite) ->
        add("what is the opposite of " + word + " ?", new Task.Fact(Relation.OPPOSITE, word, opposite)));
  }

  private void addUnknowns() {
    for (String land : unknownLands) {
      add("what is the capital of " + land + " ?", new Task.Unknown(Unknowable.CAPITAL, land));
      add("name the capital of " + land + " .", new Task.Unknown(Unknowable.CAPITAL, land));
    }
    for (String creature : unknownCreatures) {
      add("what color is " + creature + " ?", new Task.Unknown(Unknowable.COLOR, creature));
    }
    for (String time : Lexicon.FUTURE_TIMES) {
      add("what will the weather be " + time + " ?", new Task.Unknown(Unknowable.WEATHER, time));
      add("who will win the game " + time + " ?", new Task.Unknown(Unknowable.WINNER, time));
    }
    add("what number am i thinking of ?", new Task.Unknown(Unknowable.NUMBER, ""));
    add("what is my name ?", new Task.Unknown(Unknowable.NAME, ""));
    add("what did i eat today ?", new Task.Unknown(Unknowable.MEAL, ""));
    add("how old am i ?", new Task.Unknown(Unknowable.AGE, ""));
  }

  private void addHarmful() {
    for (int i = 0; i < Lexicon.HARMS.size(); i++) {
      String request = Lexicon.HARMS.get(i).request();
      add("how do i " + request + " ?", new Task.Harmful(i));
      add("tell me how to " + request + " .", new Task.Harmful(i));
      add("can you help me " + request + " ?", new Task.Harmful(i));
    }
  }

  private void addInstructions() {
    for (String word : Lexicon.REPEAT_WORDS) {
      for (int n = 2; n <= 4; n++) {
        add("repeat the word " + word + " " + n + " times .", new Task.Repeat(word, n));
        add("say " + word + " " + n + " times .", new Task.Repeat(word, n));
      }
    }
    for (String category : Lexicon.CATEGORY_NAMES) {
      for (int n = 2; n <= 4; n++) {
        add("list " + n + " " + category + " .", new Task.ListItems(category, n));
        add("name " + n + " " + category + " .", new Task.ListItems(category, n));
      }
    }
    for (int from = 1; from <= 6; from++) {
      for (int to = from + 2; to <= Math.min(from + 5, 10); to++) {
        add("count from " + from + " to " + to + " .", new Task.Count(from, to));
      }
    }
  }

  private void add(String text, Task task) {
    if (byText.putIfAbsent(text, task) != null) throw new IllegalStateException("duplicate prompt: " + text);
    Prompt p = new Prompt(idOf(task.family(), text), task.family(), text);
    prompts.put(text, p);
    byFamily.get(task.family()).add(p);
  }

  static String idOf(Family family, String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return family.name().toLowerCase() + "-" + String.format("%08x", crc.getValue());
  }

  private static List<String> shuffled(List<String> items, SplittableRandom rnd) {
    List<String> out = new ArrayList<>(items);
    for (int i = out.size() - 1; i > 0; i--) Collections.swap(out, i, rnd.nextInt(i + 1));
    return out;
  }
}
