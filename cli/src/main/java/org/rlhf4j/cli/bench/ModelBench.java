package org.rlhf4j.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.ModelFamilies;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.Autocast;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;

/** Training-step throughput and decode throughput of a randomly initialised model. */
public final class ModelBench {
  private ModelBench() {}

  /** GPT-2 small (124M) shape. */
  public static ModelConfig gpt2Small() {
    return ModelConfig.builder(ModelFamilies.GPT2).vocabSize(50257).hiddenSize(768).intermediateSize(3072).numLayers(12)
        .numHeads(12).maxPositions(1024).build();
  }

  /** Qwen2.5-0.5B shape. */
  public static ModelConfig qwen05b() {
    return ModelConfig.builder(ModelFamilies.QWEN2).vocabSize(151936).hiddenSize(896).intermediateSize(4864).numLayers(24)
        .numHeads(14).numKvHeads(2).maxPositions(32768).normEps(1e-6).ropeTheta(1e6).tieWordEmbeddings(true)
        .bosTokenId(151643).eosTokenId(151645).build();
  }

  /** Llama-110M shape (karpathy/llama2.c's stories110M: dim 768, 12 layers, 12 heads, hidden 2048, vocab 32000, tied). */
  public static ModelConfig llama110m() {
    return ModelConfig.builder(ModelFamilies.LLAMA).vocabSize(32000).hiddenSize(768).intermediateSize(2048).numLayers(12)
        .numHeads(12).maxPositions(1024).normEps(1e-5).tieWordEmbeddings(true).build();
  }

  /** A model shape by its bench name (gpt2-124m, qwen2.5-0.5b, llama-110m), or null. */
  public static ModelConfig shape(String name) {
    return switch (name) {
      case "gpt2-124m" -> gpt2Small();
      case "qwen2.5-0.5b" -> qwen05b();
      case "llama-110m" -> llama110m();
      default -> null;
    };
  }

  /** Matmul FLOPs of one forward+backward per token (6 x matmul params + causal attention), PaLM-style. */
  public static double trainFlopsPerToken(ModelConfig c, int seq) {
    long q = (long) c.numHeads() * c.headDim();
    double attention = 6.0 * c.numLayers() * q * seq; // QK^T and AV, fwd+bwd, causal half counted as full
    return 6.0 * c.matmulParameterCount() + attention;
  }

  public record TrainResult(double tokensPerSecond, double secondsPerStep) {}

  /** Forward + backward (no optimizer) of a (batch, seq) step, best of {@code steps} after one warm-up. */
  public static TrainResult trainStep(CausalLM model, int batch, int seq, DType autocast, int steps) {
    model.requiresGrad(true);
    Device d = model.device();
    double best = Double.MAX_VALUE;
    for (int s = 0; s <= steps; s++) {
      try (NativeScope scope = NativeScope.open()) {
        Tensor ids = torch.randint(model.config().vocabSize(), new long[] {batch, seq + 1}, org.rlhf4j.runtime.Tensors.options(DType.I64, d)); // (B, T+1)
        long t0 = System.nanoTime();
        Tensor loss;
        try (Autocast ac = Autocast.enable(d, autocast)) {
          Tensor logits = model.forward(ids.narrow(1, 0, seq), null).logits();                              // (B, T, V)
          loss = torch.cross_entropy(logits.reshape(-1, logits.size(2)).to(torch.ScalarType.Float), ids.narrow(1, 1, seq).reshape(-1));
        }
        loss.backward();
        for (Tensor p : model.parameters().values()) p.grad().zero_();
        double sec = (System.nanoTime() - t0) / 1e9;
        if (s > 0) best = Math.min(best, sec);
      }
    }
    model.requiresGrad(false);
    return new TrainResult(batch * (double) seq / best, best);
  }

  /**
   * A reward-model step: forward+backward of the backbone's hidden states through a score head on
   * the last token of each of {@code batch} sequences (chosen and rejected halves, Bradley-Terry loss).
   */
  public static TrainResult rewardStep(CausalLM model, int batch, int seq, DType autocast, int steps) {
    model.requiresGrad(true);
    Device d = model.device();
    org.rlhf4j.models.heads.ScalarHead head = org.rlhf4j.models.heads.ScalarHead.random(
        org.rlhf4j.models.heads.ScalarHead.Kind.SCORE, model.config().hiddenSize(), 0, d);
    double best = Double.MAX_VALUE;
    for (int s = 0; s <= steps; s++) {
      try (NativeScope scope = NativeScope.open()) {
        Tensor ids = torch.randint(model.config().vocabSize(), new long[] {batch, seq}, org.rlhf4j.runtime.Tensors.options(DType.I64, d)); // (2P, T)
        Tensor mask = org.rlhf4j.runtime.Tensors.ones(DType.I64, d, batch, seq);                                                          // (2P, T)
        long t0 = System.nanoTime();
        Tensor loss;
        try (Autocast ac = Autocast.enable(d, autocast)) {
          Tensor r = head.lastToken(model.hidden(ids, null), mask).to(torch.ScalarType.Float);                                           // (2P)
          Tensor diff = r.narrow(0, 0, batch / 2).sub(r.narrow(0, batch / 2, batch / 2));                                               // (P)
          loss = torch.log_sigmoid(diff).neg().mean();
        }
        loss.backward();
        for (Tensor p : model.parameters().values()) p.grad().zero_();
        double sec = (System.nanoTime() - t0) / 1e9;
        if (s > 0) best = Math.min(best, sec);
      }
    }
    model.requiresGrad(false);
    return new TrainResult(batch * (double) seq / best, best);
  }

  /** Decode tokens/s with the KV cache: {@code batch} prompts of {@code promptLen} tokens, {@code newTokens} each. */
  public static double decode(CausalLM model, int batch, int promptLen, int newTokens) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    List<long[]> prompts = new ArrayList<>();
    for (int i = 0; i < batch; i++) prompts.add(r.longs(promptLen, 0, model.config().vocabSize()).toArray());
    SamplingConfig cfg = SamplingConfig.greedy(newTokens, Set.of());
    // warm-up at the same batch: the Vector API kernel runs interpreted (100x slower) until the JIT has compiled it
    Generator.generate(model, prompts, 0, SamplingConfig.greedy(Math.min(8, newTokens), Set.of()));
    try (NoGradGuard g = new NoGradGuard()) {
      long t0 = System.nanoTime();
      Generator.generate(model, prompts, 0, cfg);
      return batch * (double) newTokens / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
