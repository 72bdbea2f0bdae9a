package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loop.CheckpointIO;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.Trainer;
import org.rlhf4j.training.loss.RewardLoss;

/** A Bradley–Terry reward model: the SFT backbone plus a score head on the last real token. */
final class RewardStage implements HasParameters {
  /** A labelled comparison in tokens: prompt + chosen/rejected response (each ending with EOS). */
  record TokenPair(long[] chosen, long[] rejected, double chosenProbability) {}

  /** The score head beside the backbone (which is saved in Hugging Face layout) in each checkpoint. */
  static final String HEAD_FILE = "score_head.safetensors";

  private final CausalLM backbone;
  private final ScalarHead head;

  RewardStage(CausalLM backbone, ScalarHead head) {
    this.backbone = backbone;
    this.head = head;
  }

  @Override public Map<String, Tensor> parameters() {
    Map<String, Tensor> m = new LinkedHashMap<>(backbone.parameters());
    m.putAll(head.parameters());
    return m;
  }

  /** Rewards (B) of full token rows, right-padded. */
  Tensor rewards(List<long[]> rows, long padId) {
    List<TokenRow> tr = new ArrayList<>();
    for (long[] r : rows) tr.add(new TokenRow(r, new long[r.length]));
    long[][][] b = TokenRow.batch(tr, padId);
    Tensor ids = Tensors.longs(b[0], backbone.device());               // (B, T)
    Tensor mask = Tensors.longs(b[1], backbone.device());              // (B, T)
    return head.lastToken(backbone.hidden(ids, null), mask);           // (B)
  }

  void train(List<TokenPair> pairs, int batch, long padId, TrainConfig cfg) {
    for (Tensor p : parameters().values()) p.requires_grad_(true);
    LmStage.Sampler sampler = new LmStage.Sampler(pairs.size(), batch, cfg.seed());
    Trainer trainer = new Trainer(cfg, this, micro -> {
      List<long[]> rows = new ArrayList<>();
      double[] prob = new double[batch];
      int[] idx = sampler.next();
      for (int i : idx) rows.add(pairs.get(i).chosen());
      for (int i : idx) rows.add(pairs.get(i).rejected());
      for (int k = 0; k < idx.length; k++) prob[k] = pairs.get(idx[k]).chosenProbability();
      Tensor r = rewards(rows, padId);                                  // (2B)
      Tensor soft = Tensor.create(prob, prob.length);                   // (B)
      RewardLoss.Result res = RewardLoss.compute(new RewardLoss.Config(0.0, 0.01), r.narrow(0, 0, batch), r.narrow(0, batch, batch), null, soft);
      return new StepResult(res.loss(), Map.of("accuracy", res.metrics().accuracy(), "margin", res.metrics().margin()));
    }, sampler, new CheckpointIO() {
      @Override public void save(Path dir) {
        backbone.save(dir);
        Safetensors.save(dir.resolve(HEAD_FILE), head.parameters(), Map.of("format", "pt"));
      }
      @Override public void load(Path dir) {
        CheckpointIO.copyInto(backbone, dir);
        CheckpointIO.copyFromFile(head, dir.resolve(HEAD_FILE));
      }
    }, null);
    trainer.run();
    for (Tensor p : parameters().values()) p.requires_grad_(false);
  }

  /** Scores full rows without gradients, in chunks. */
  double[] score(List<long[]> rows, long padId) {
    double[] out = new double[rows.size()];
    for (int start = 0; start < rows.size(); start += 64) {
      List<long[]> chunk = rows.subList(start, Math.min(rows.size(), start + 64));
      try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
        float[] r = Tensors.toFloats(rewards(chunk, padId));
        for (int i = 0; i < r.length; i++) out[start + i] = r[i];
      }
    }
    return out;
  }

  /** Pairwise accuracy on held-out token pairs. */
  double accuracy(List<TokenPair> pairs, long padId) {
    List<long[]> c = new ArrayList<>(), r = new ArrayList<>();
    for (TokenPair p : pairs) { c.add(p.chosen()); r.add(p.rejected()); }
    double[] sc = score(c, padId), sr = score(r, padId);
    int ok = 0;
    for (int i = 0; i < sc.length; i++) ok += sc[i] > sr[i] ? 1 : 0;
    return pairs.isEmpty() ? Double.NaN : ok / (double) pairs.size();
  }
}
