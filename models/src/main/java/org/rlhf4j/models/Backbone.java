package org.rlhf4j.models;

import org.bytedeco.pytorch.Tensor;

/** A decoder stack: token ids (B, T) to final-norm hidden states (B, T, C). */
public interface Backbone {
  Tensor forward(Tensor ids, AttentionContext ctx);

  /** The token embedding table (V, C), tied to the LM head when the config says so. */
  Tensor embeddingWeight();
}
