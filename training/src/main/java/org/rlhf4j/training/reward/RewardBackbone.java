package org.rlhf4j.training.reward;

import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.Content;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.batch.Sequence;

/**
 * What a {@link RewardModel} scores with: a causal LM read at its last real token ({@link CausalBackbone}), or a
 * BERT-family encoder's pooled output ({@link EncoderBackbone}). Each variant tokenises (prompt, response) its own
 * way, computes the rewards of a padded batch and saves itself as its Hugging Face sequence classifier.
 */
sealed interface RewardBackbone permits CausalBackbone, EncoderBackbone {
  /** Rewards of right- or left-padded rows: ids (B, T), 0/1 mask (B, T) to (B). */
  Tensor rewards(Tensor ids, Tensor mask);

  /** As {@link #rewards(Tensor, Tensor)} with each row's 0/1 response mask (B, T), for poolings that read it. */
  default Tensor rewards(Tensor ids, Tensor mask, Tensor response) { return rewards(ids, mask); }

  /** Every tensor of the sequence classifier, by the name it is saved under. */
  Map<String, Tensor> parameters();

  void requiresGrad(boolean on);

  Device device();

  /** Pad id of batches and of the saved config. */
  int padId();

  /** The longest sequence the model can take (position embeddings). */
  int maxPositions();

  /** The tokenizer, or null when none is known. */
  Tokenizer tokenizer();

  /** Prompt and response tokens before fitting to a length ({@link #reserved()} tokens are added by {@link #row}). */
  Sequence encode(Content prompt, Content completion);

  /** Tokens {@link #row} adds around a fitted sequence (BERT's [CLS] and [SEP]). */
  int reserved();

  /** The model input of a fitted sequence. */
  Row row(Sequence fitted);

  /** Writes the Hugging Face *ForSequenceClassification files (and the tokenizer's, when known) into {@code dir}. */
  void save(Path dir);

  /** A short description for logs, e.g. "bert encoder (6 layers, hidden 384)". */
  String describe();
}
