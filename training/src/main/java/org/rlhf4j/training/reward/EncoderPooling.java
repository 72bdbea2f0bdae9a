package org.rlhf4j.training.reward;

import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.bert.BertPooler;
import org.rlhf4j.models.bert.Pooling;

/**
 * Which hidden states an encoder reward model's pooler reads. {@link #CLS} is transformers'
 * {@code BertForSequenceClassification} (tanh(dense(h_[CLS]))), so its files score the same in transformers;
 * {@link #MEAN} is tanh(dense(mean of the last hidden states over real tokens)), the pooling sentence-transformers
 * trained all-MiniLM-L6-v2 with (its [CLS] state was never trained to summarise the text). A mean-pooled model is
 * saved with the same tensors plus {@code "rlhf4j_pooling": "mean"} in config.json, which transformers ignores
 * (it would pool [CLS]); rlhf4j reads it back.
 */
public enum EncoderPooling {
  CLS {
    @Override Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask) { return pooler.forward(hidden); }
  },
  MEAN {
    @Override Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask) { return pooler.dense(Pooling.mean(hidden, mask)); }
  };

  /** config.json's key for a pooling other than transformers' [CLS]. */
  static final String CONFIG_KEY = "rlhf4j_pooling";

  /** Last hidden states (B, T, H) and 0/1 mask (B, T) to the pooled output (B, H). */
  abstract Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask);

  /** The name used in flags and config.json: "cls" or "mean". */
  public String key() { return name().toLowerCase(Locale.ROOT); }

  /** "cls" or "mean" (case-insensitive); anything else is an error naming {@code what} and the choices. */
  public static EncoderPooling parse(String name, String what) {
    for (EncoderPooling p : values()) if (p.key().equalsIgnoreCase(name.trim())) return p;
    throw new IllegalArgumentException(what + ": unknown pooling '" + name + "' (expected cls or mean)");
  }
}
