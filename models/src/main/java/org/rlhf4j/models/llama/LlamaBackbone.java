package org.rlhf4j.models.llama;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.AttentionContext;
import org.rlhf4j.models.Backbone;
import org.rlhf4j.models.Checkpointing;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.Embedding;
import org.rlhf4j.models.nn.RmsNorm;

/** Llama / Qwen2 decoder stack: embeddings, blocks, final RMS norm. */
public final class LlamaBackbone implements Backbone {
  private final Embedding embed;
  private final LlamaBlock[] blocks;
  private final RmsNorm norm;
  private final Rope rope;

  public LlamaBackbone(ModelConfig c, Weights w) {
    this.embed = new Embedding(w.take("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize()));
    this.blocks = new LlamaBlock[c.numLayers()];
    for (int l = 0; l < blocks.length; l++) blocks[l] = new LlamaBlock(c, w, l);
    this.norm = new RmsNorm(w.take("model.norm.weight", c.hiddenSize()), c.normEps());
    this.rope = new Rope(c.headDim(), c.ropeTheta());
  }

  @Override public Tensor embeddingWeight() { return embed.weight(); }

  @Override public Tensor forward(Tensor ids, AttentionContext ctx) {
    Tensor x = embed.forward(ids);                 // (B, T, C)
    Tensor[] cs = rope.cosSin(ctx.positions());    // (B, 1, T, D) x2
    java.util.List<java.util.function.UnaryOperator<Tensor>> stack = new java.util.ArrayList<>(blocks.length);
    for (LlamaBlock b : blocks) stack.add(h -> b.forward(h, cs[0], cs[1], ctx));
    x = Checkpointing.blocks(x, stack, ctx.checkpoint(), ctx.cache() == null); // (B, T, C)
    return norm.forward(x);                        // (B, T, C)
  }
}
