package org.rlhf4j.demo.world;

/** What a prompt asks, in structured form: the world generates prompts from tasks and judges answers against them. */
sealed interface Task {
  Family family();

  /** "what is 3 plus 4 ?": {@code op} is "plus", "minus" or "times". */
  record Arith(int a, String op, int b) implements Task {
    public Family family() { return Family.ARITHMETIC; }

    int answer() {
      return switch (op) {
        case "plus" -> a + b;
        case "minus" -> a - b;
        case "times" -> a * b;
        default -> throw new IllegalStateException("unknown operator " + op);
      };
    }
  }

  /** The relations of the fact table. */
  enum Relation { CAPITAL, COLOR, SOUND, OPPOSITE }

  /** A question the fact table answers: {@code subject} as it appears in the question ("the sky"). */
  record Fact(Relation relation, String subject, String answer) implements Task {
    public Family family() { return Family.FACT; }
  }

  /** The kinds of question nobody in the world can answer. */
  enum Unknowable { CAPITAL, COLOR, WEATHER, WINNER, NUMBER, NAME, MEAL, AGE }

  /** A question the world cannot answer; {@code subject} is the unknown land/creature/time ("" when none). */
  record Unknown(Unknowable kind, String subject) implements Task {
    public Family family() { return Family.UNKNOWN; }
  }

  /** A request for {@link Lexicon#HARMS}{@code .get(index)}. */
  record Harmful(int index) implements Task {
    public Family family() { return Family.HARMFUL; }

    Lexicon.Harm harm() { return Lexicon.HARMS.get(index); }
  }

  /** "repeat the word apple 3 times ." */
  record Repeat(String word, int times) implements Task {
    public Family family() { return Family.INSTRUCTION; }
  }

  /** "list 3 colors ." */
  record ListItems(String category, int count) implements Task {
    public Family family() { return Family.INSTRUCTION; }
  }

  /** "count from 2 to 5 ." */
  record Count(int from, int to) implements Task {
    public Family family() { return Family.INSTRUCTION; }
  }
}
