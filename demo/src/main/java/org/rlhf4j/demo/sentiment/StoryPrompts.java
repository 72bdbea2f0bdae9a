package org.rlhf4j.demo.sentiment;

import java.util.List;

/** TinyStories-like story openings: the prompts of the sentiment example (the first ones train, the last ones judge). */
final class StoryPrompts {
  private StoryPrompts() {}

  private static final List<String> OPENINGS = List.of(
      "Once upon a time, there was a little girl named Lily.",
      "One day, a boy named Tom went to the park.",
      "Once upon a time, there was a big dog named Max.",
      "Sara had a red ball.",
      "Once upon a time, a little bird lived in a tree.",
      "Ben and his mom went to the store.",
      "There was a small cat who liked to play.",
      "One day, Lucy found a box in the garden.",
      "Tim wanted to go outside, but it was raining.",
      "Once upon a time, there was a old man who lived in a small house.",
      "Anna and her friend Sam were playing with blocks.",
      "One morning, the sun was shining and the birds were singing.",
      "Once upon a time, there was a fish named Bubbles.",
      "Jack had a new toy car.",
      "The little bear was hungry.",
      "Mia liked to draw pictures.",
      "One day, a frog jumped into the pond.",
      "Once upon a time, there was a princess who lived in a castle.",
      "Tom and Sue went to the beach with their dad.",
      "There was a tall tree in the forest.",
      "Lily saw a big cake on the table.",
      "Once upon a time, there was a little boat.",
      "Max the dog wanted to find his bone.",
      "One day, it was very cold outside.",
      "Amy had a doll named Rosie.",
      "Once upon a time, a little mouse lived in a hole.",
      "The kids went to school on a sunny day.",
      "Bob the bunny liked to hop.",
      "One night, Lily looked at the stars.",
      "There was a girl who had a pretty dress.",
      "Once upon a time, there was a king who had a big crown.",
      "Sam found a shiny rock.",
      "The little duck went for a swim.",
      "One day, Mom made soup for lunch.",
      "Once upon a time, there was a lonely monster.",
      "Tim and his sister played in the snow.",
      "The farmer had a cow and a pig.",
      "Once upon a time, a girl named Sue had a kite.",
      "Ben was sad because he lost his hat.",
      "One day, a little car drove down the road.",
      "There was a boy who liked to sing.",
      "Once upon a time, there was a dragon who lived on a hill.",
      "Lucy went to visit her grandma.",
      "The baby was crying in the crib.",
      "Once upon a time, a squirrel found a nut.",
      "Tom had a big box of crayons.",
      "One day, the wind was very strong.",
      "Once upon a time, there was a little train.",
      "Mia and her dad went fishing.",
      "There was a turtle who was very slow.",
      "Once upon a time, a girl named Kim had a puppy.",
      "Sam and Ben built a sand castle.",
      "The old clock in the house stopped.",
      "One day, a butterfly landed on a flower.",
      "Once upon a time, there was a brave knight.",
      "Lily and Tom were in the kitchen.",
      "The lion was the king of the jungle.",
      "One day, Anna lost her shoe.",
      "Once upon a time, a little star fell from the sky.",
      "Jake wanted to eat a cookie.",
      "There was a house at the end of the street.",
      "Once upon a time, there was a pink pig.",
      "Sue and her mom baked bread.",
      "One day, the little plane flew high.");

  static int count() { return OPENINGS.size(); }

  /** The first {@code n} openings (training). */
  static List<String> train(int n) { return OPENINGS.subList(0, n); }

  /** The last {@code n} openings (evaluation, never trained on). */
  static List<String> eval(int n) { return OPENINGS.subList(OPENINGS.size() - n, OPENINGS.size()); }
}
