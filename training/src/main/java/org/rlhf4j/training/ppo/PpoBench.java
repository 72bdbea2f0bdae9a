package org.rlhf4j.training.ppo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.ModelFamilies;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loop.StepResult;
import org.rlhf4j.training.optim.AdamW;
import org.rlhf4j.training.optim.GradClip;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.rollout.Samples;
import org.rlhf4j.training.rollout.Scorer;

/**
 * Wall time of one PPO iteration split into generation, reward-model scoring, the no-grad
 * policy+value and reference forwards, and training (forward + backward + AdamW over the
 * minibatch epochs). Random weights; the reward model is a second model of the same shape with a
 * score head on the last token. {@code frozenDtype} is the dtype of the frozen models
 * (reference and reward model, {@link CausalLM#copy}); the policy always trains in fp32.
 */
public final class PpoBench {
  private PpoBench() {}

  /** Seconds per phase; the generation share is generation / total. */
  public record Timing(String frozenDtype, int batch, int promptLength, int newTokens, int ppoEpochs,
      double generation, double scoring, double forwards, double training) {
    public double total() { return generation + scoring + forwards + training; }

    public double generationShare() { return generation / total(); }
  }

  /** GPT-2 124M's shape (vocab 50257, 12 layers, 768 wide, tied embeddings). */
  public static ModelConfig gpt2Small() {
    return ModelConfig.builder(ModelFamilies.GPT2).vocabSize(50257).hiddenSize(768).intermediateSize(3072).numLayers(12)
        .numHeads(12).maxPositions(1024).build();
  }

  /**
   * One iteration with {@code batch} prompts of {@code promptLength} random tokens and
   * {@code newTokens} sampled tokens each (no stop token, so every response is full length),
   * {@code ppoEpochs} passes of one minibatch split into micro-batches of {@code microBatch} rows.
   */
  public static Timing run(ModelConfig cfg, int batch, int promptLength, int newTokens, int ppoEpochs, int microBatch,
      DType frozenDtype, long seed) {
    CausalLM policy = CausalLM.random(cfg, seed, Device.CPU);
    CausalLM ref = policy.copy(frozenDtype);
    CausalLM rm = policy.copy(frozenDtype);
    ScalarHead score = ScalarHead.random(ScalarHead.Kind.SCORE, cfg.hiddenSize(), seed + 1, Device.CPU);
    Scorer scorer = (prompts, responses) -> rewardModel(rm, score, prompts, responses, microBatch);
    PpoConfig pc = PpoConfig.defaults(Path.of("unused")).with(1, batch, 1, ppoEpochs, newTokens)
        .withForwardBatchSize(microBatch)
        .withTrain(PpoConfig.defaults(Path.of("unused")).train().toBuilder().gradAccumulation(batch / microBatch).build());
    PpoTrainer t = new PpoTrainer(policy, ref, null, cfg.eosTokenId(), pc);
    Samples s;
    RolloutBuffer b;
    long t0;
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      s = Samples.draw(policy, scorer, prompts(batch, promptLength, cfg.vocabSize(), seed), cfg.eosTokenId(), newTokens,
          pc.temperature(), pc.stopIds(), seed, 0);
      t0 = System.nanoTime();
      b = t.prepare(0, s);
    }
    double forwards = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    train(t, b, pc, batch, microBatch);
    double training = (System.nanoTime() - t0) / 1e9;
    return new Timing(frozenDtype.name().toLowerCase(java.util.Locale.ROOT), batch, promptLength, newTokens, ppoEpochs,
        s.generationSeconds(), s.scoringSeconds(), forwards, training);
  }

  private static void train(PpoTrainer t, RolloutBuffer b, PpoConfig pc, int batch, int microBatch) {
    AdamW opt = new AdamW(t.trainable().parameters(), new AdamW.Hyper(0.9, 0.999, 1e-8, 0.0));
    for (int epoch = 0; epoch < pc.ppoEpochs(); epoch++) {
      try (NativeScope scope = NativeScope.open()) {
        opt.zeroGrad();
        for (int from = 0; from < batch; from += microBatch) {
          List<Integer> rows = new ArrayList<>();
          for (int i = from; i < Math.min(batch, from + microBatch); i++) rows.add(i);
          StepResult r = t.update(b, rows);
          r.loss().div(new Scalar((double) batch / microBatch)).backward();
        }
        GradClip.clip(t.trainable().parameters().values(), 1.0);
        opt.step(pc.train().lr());
      }
    }
  }

  private static double[] rewardModel(CausalLM rm, ScalarHead score, List<long[]> prompts, List<long[]> responses,
      int chunk) {
    double[] out = new double[prompts.size()];
    for (int from = 0; from < prompts.size(); from += chunk) {
      int to = Math.min(prompts.size(), from + chunk);
      try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
        ResponseBatch rb = ResponseBatch.of(prompts.subList(from, to), responses.subList(from, to), 0, rm.device());
        Tensor hidden = rm.hidden(rb.ids(), rb.mask()); // (b, T, C)
        float[] s = Tensors.toFloats(score.lastToken(hidden, rb.mask())); // (b)
        for (int i = from; i < to; i++) out[i] = s[i - from];
      }
    }
    return out;
  }

  private static List<long[]> prompts(int n, int length, int vocab, long seed) {
    Random r = new Random(seed);
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long[] p = new long[length];
      for (int j = 0; j < length; j++) p[j] = r.nextInt(vocab - 1);
      out.add(p);
    }
    return out;
  }
}
