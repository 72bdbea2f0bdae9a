package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.data.Datasets;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.training.reward.RewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j eval-reward}: pairwise accuracy of a reward model on a preference file. */
@Command(name = "eval-reward", mixinStandardHelpOptions = true,
    description = {"Pairwise accuracy of a reward model: the fraction of pairs where the preferred response scores higher, "
        + "with the \"shorter answer wins\" baseline on the same pairs.",
        "On labelled texts (.tsv/.csv, as `reward` trains on them): the fraction whose reward is on their label's side of 0."})
public final class EvalRewardCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, arity = "1..*", description = {"Reward model folder (or the base of --adapter).",
      "Several (--model A B C or repeated): also their ensemble, each model's reward differences divided by their",
      "root mean square over the pairs, then averaged (no label used)."}) List<Path> models;
  @Option(names = "--adapter", description = ScoreCommand.ADAPTER_DOC) Path adapter;
  @Option(names = "--data", required = true, description = "Preference file (any layout rlhf4j reads).") Path data;
  @Option(names = "--max-length", description = "Tokens per prompt + response (prompt cut from the left).") Integer maxLength;
  @Option(names = "--eval-fraction", description = "Score only the held-out part of --data that `reward --eval-fraction F "
      + "--split-seed S` (or --seed S) kept out of training.") Double evalFraction;
  @Option(names = "--split-seed", description = "The split's seed (with --eval-fraction; default 42, reward's default seed).") Long splitSeed;
  @Option(names = "--json", description = "Print one JSON object {accuracy, n, shorter_wins_baseline, model, data} (with several "
      + "models, also models: [{model, accuracy}] and the ensemble's accuracy as accuracy).") boolean json;

  @Override public Integer call() throws Exception {
    if (adapter != null && models.size() > 1) throw new UserError("--adapter: one --model only, got " + models.size());
    if (splitSeed != null && evalFraction == null) throw new UserError("--split-seed needs --eval-fraction");
    if (evalFraction != null && !(evalFraction > 0 && evalFraction < 1)) throw new UserError("--eval-fraction must be in (0, 1), got " + evalFraction);
    if (RewardCommand.isLabelled(data)) return labelled();
    List<PreferencePair> pairs = DataFiles.readPreferences(data);
    if (evalFraction != null) pairs = Datasets.split(pairs, evalFraction, splitSeed == null ? 42 : splitSeed).test();
    List<Map<String, Object>> each = new ArrayList<>();
    double[] sum = new double[pairs.size()];
    for (Path m : models) {
      RewardModel rm = ScoreCommand.load(m, adapter, "--model", "--adapter");
      if (maxLength != null) rm.maxLength(maxLength);
      double[] d = rm.differences(pairs);
      double sd = Math.sqrt(java.util.Arrays.stream(d).map(x -> x * x).average().orElse(0)); // scale of this model's verdicts
      for (int i = 0; i < d.length; i++) sum[i] += sd > 0 ? d[i] / sd : 0;
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", m.toString());
      o.put("accuracy", RewardModel.accuracy(pairs, d).accuracy());
      each.add(o);
    }
    RewardModel.Accuracy acc = RewardModel.accuracy(pairs, sum);
    org.rlhf4j.data.LengthBaseline.Result shorter = org.rlhf4j.data.LengthBaseline.shorterWins(pairs);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("accuracy", acc.accuracy());
      o.put("n", acc.n());
      o.put("shorter_wins_baseline", shorter.accuracy());
      o.put("model", models.size() == 1 ? models.get(0).toString() : "ensemble of " + models.size());
      if (models.size() > 1) o.put("models", each);
      o.put("data", data.toString());
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      if (models.size() > 1) {
        for (Map<String, Object> e : each) System.out.printf(Locale.ROOT, "  %s: pairwise accuracy %.4f%n", e.get("model"), (double) e.get("accuracy"));
        System.out.print("ensemble of " + models.size() + ": ");
      }
      System.out.printf(Locale.ROOT, "pairwise accuracy %.4f on %d pairs (\"shorter answer wins\" baseline %.4f)%n",
          acc.accuracy(), acc.n(), shorter.accuracy());
    }
    return 0;
  }

  private int labelled() throws Exception {
    List<org.rlhf4j.data.LabelledText> texts;
    try {
      texts = org.rlhf4j.data.format.LabelledTexts.read(data);
    } catch (org.rlhf4j.data.format.DataFormatException e) {
      throw new UserError("--data: " + e.getMessage());
    }
    if (models.size() > 1 || evalFraction != null) throw new UserError("--data: labelled texts take one --model and no --eval-fraction");
    Path model = models.get(0);
    RewardModel rm = ScoreCommand.load(model, adapter, "--model", "--adapter");
    if (maxLength != null) rm.maxLength(maxLength);
    double acc = rm.classifierAccuracy(texts);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("accuracy", acc);
      o.put("n", texts.size());
      o.put("model", model.toString());
      o.put("data", data.toString());
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      System.out.printf(Locale.ROOT, "classification accuracy %.4f on %d labelled texts%n", acc, texts.size());
    }
    return 0;
  }
}
