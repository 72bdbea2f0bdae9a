package org.rlhf4j.models.bert;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.nn.LayerNorm;
import org.rlhf4j.models.nn.Linear;

/** Word + position + token-type embeddings, then LayerNorm (dropout omitted: inference and fine-tuning without it). */
record BertEmbeddings(Tensor word, Tensor position, Tensor tokenType, LayerNorm norm) {
  static BertEmbeddings load(Params p, BertConfig c) {
    return new BertEmbeddings(
        p.take("embeddings.word_embeddings.weight", c.vocabSize(), c.hiddenSize()),
        p.take("embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), c.hiddenSize()),
        p.take("embeddings.token_type_embeddings.weight", c.typeVocabSize(), c.hiddenSize()),
        p.layerNorm("embeddings.LayerNorm", c.hiddenSize(), c.layerNormEps()));
  }

  /** Single-segment input (token type 0), positions 0..T-1. */
  Tensor forward(Tensor inputIds) {
    long t = inputIds.size(1);
    if (t > position.size(0)) {
      throw new IllegalArgumentException("sequence length " + t + " exceeds max_position_embeddings " + position.size(0));
    }
    TensorOptions longs = new TensorOptions(ScalarType.Long).device(new org.bytedeco.pytorch.DeviceOptional(inputIds.device()));
    Tensor positions = torch.arange(new Scalar(t), longs);     // (T)
    Tensor types = torch.zeros_like(inputIds);                 // (B, T)
    Tensor x = torch.embedding(word, inputIds)                 // (B, T, H)
        .add(torch.embedding(position, positions))             // (B, T, H) + (T, H)
        .add(torch.embedding(tokenType, types));               // (B, T, H)
    return norm.forward(x);                                    // (B, T, H)
  }
}
