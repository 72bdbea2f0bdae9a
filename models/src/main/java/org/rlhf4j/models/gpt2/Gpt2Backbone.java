package org.rlhf4j.models.gpt2;

import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.AttentionContext;
import org.rlhf4j.models.Backbone;
import org.rlhf4j.models.Checkpointing;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.Weights;
import org.rlhf4j.models.nn.Embedding;
import org.rlhf4j.models.nn.LayerNorm;

/** GPT-2 decoder stack: token + learned position embeddings, blocks, ln_f. */
public final class Gpt2Backbone implements Backbone {
  private final Embedding wte, wpe;
  private final Gpt2Block[] blocks;
  private final LayerNorm lnF;

  public Gpt2Backbone(ModelConfig c, Weights w) {
    this.wte = new Embedding(w.take("transformer.wte.weight", c.vocabSize(), c.hiddenSize()));
    this.wpe = new Embedding(w.take("transformer.wpe.weight", c.maxPositions(), c.hiddenSize()));
    this.blocks = new Gpt2Block[c.numLayers()];
    for (int l = 0; l < blocks.length; l++) blocks[l] = new Gpt2Block(c, w, l);
    this.lnF = new LayerNorm(w.take("transformer.ln_f.weight", c.hiddenSize()), w.take("transformer.ln_f.bias", c.hiddenSize()), c.normEps());
  }

  @Override public Tensor embeddingWeight() { return wte.weight(); }

  @Override public Tensor forward(Tensor ids, AttentionContext ctx) {
    Tensor x = wte.forward(ids).add(wpe.forward(ctx.positions())); // (B, T, C)
    java.util.List<java.util.function.UnaryOperator<Tensor>> stack = new java.util.ArrayList<>(blocks.length);
    for (Gpt2Block b : blocks) stack.add(h -> b.forward(h, ctx));
    x = Checkpointing.blocks(x, stack, ctx.checkpoint(), ctx.cache() == null);           // (B, T, C)
    return lnF.forward(x);                                         // (B, T, C)
  }
}
