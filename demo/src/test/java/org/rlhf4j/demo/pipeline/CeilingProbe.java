package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.rlhf4j.demo.raters.ComparisonItem;

/**
 * How well could a grader that knew each answer's gold score up to k equal steps agree with gold on the raters' pairs
 * (answers on the same step tie, and a tie is no agreement)? Stages 1-3 resumed from OUT. Not a test: an experiment,
 * run as {@link JudgeProbe} is: {@code CeilingProbe OUT [SEED]}.
 */
public final class CeilingProbe {
  private CeilingProbe() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    List<ComparisonItem> items = new DemoPipeline(DemoConfig.defaults(out, seed, false).withArms(Set.of("rlaif"))).raterItems();
    List<ComparisonItem> decided = items.stream().filter(it -> Math.abs(it.goldA() - it.goldB()) > ComparisonItem.TIE_MARGIN).toList();
    System.out.printf("pairs %d, gold-decided %d%n", items.size(), decided.size());
    for (int steps : new int[] {3, 5, 7, 9, 11, 21}) {
      long agree = decided.stream().filter(it -> {
        int ga = step(it.goldA(), steps), gb = step(it.goldB(), steps);
        return ga != gb && (ga > gb) == (it.goldA() > it.goldB());
      }).count();
      System.out.printf("%d steps: agreement with gold %.3f%n", steps, agree / (double) decided.size());
    }
  }

  static int step(double gold, int steps) { return (int) Math.min(steps - 1, Math.floor((gold + 1) / 2 * steps)); }
}
