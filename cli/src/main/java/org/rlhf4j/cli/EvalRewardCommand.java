package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
  @Option(names = "--model", required = true, description = "Reward model folder (or the base of --adapter).") Path model;
  @Option(names = "--adapter", description = ScoreCommand.ADAPTER_DOC) Path adapter;
  @Option(names = "--data", required = true, description = "Preference file (any layout rlhf4j reads).") Path data;
  @Option(names = "--max-length", description = "Tokens per prompt + response (prompt cut from the left).") Integer maxLength;
  @Option(names = "--json", description = "Print one JSON object {accuracy, n, shorter_wins_baseline, model, data}.") boolean json;

  @Override public Integer call() throws Exception {
    if (RewardCommand.isLabelled(data)) return labelled();
    var pairs = DataFiles.readPreferences(data);
    RewardModel rm = ScoreCommand.load(model, adapter, "--model", "--adapter");
    if (maxLength != null) rm.maxLength(maxLength);
    RewardModel.Accuracy acc = rm.pairwiseAccuracy(pairs);
    org.rlhf4j.data.LengthBaseline.Result shorter = org.rlhf4j.data.LengthBaseline.shorterWins(pairs);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("accuracy", acc.accuracy());
      o.put("n", acc.n());
      o.put("shorter_wins_baseline", shorter.accuracy());
      o.put("model", model.toString());
      o.put("data", data.toString());
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
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
