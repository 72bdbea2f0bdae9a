package org.rlhf4j.demo.raters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.Style;
import org.rlhf4j.demo.world.World;

/** Comparison items drawn from the world's own styled responses (for tests, gold items and the demo's warm-up). */
public final class Comparisons {
  private Comparisons() {}

  /** {@code n} items "cmp-00001".. : a balanced prompt each, with responses in two different random styles. */
  public static List<ComparisonItem> sample(World world, int n, SplittableRandom rnd) {
    Style[] styles = Style.values();
    List<ComparisonItem> items = new ArrayList<>(n);
    for (Prompt p : world.prompts(n, rnd)) {
      Style a = styles[rnd.nextInt(styles.length)];
      Style b;
      do b = styles[rnd.nextInt(styles.length)]; while (b == a);
      String id = String.format("cmp-%05d", items.size() + 1);
      items.add(ComparisonItem.of(id, p, world.respond(p, a, rnd).text(), world.respond(p, b, rnd).text(),
          world.gold()));
    }
    return items;
  }

  /** Item id to gold choice, for the items whose gold scores are not tied. */
  public static Map<String, Choice> goldAnswers(List<ComparisonItem> items) {
    Map<String, Choice> gold = new LinkedHashMap<>();
    for (ComparisonItem item : items) {
      if (item.goldChoice() != Choice.TIE) gold.put(item.id(), item.goldChoice());
    }
    return gold;
  }
}
