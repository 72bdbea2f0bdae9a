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
 * (it would pool [CLS]); rlhf4j reads it back. {@link #RESPONSE} is the mean over the response's tokens only (its
 * [SEP] included; attention still spans prompt and response): a pair's two texts share their prompt, so a mean over
 * prompt + response dilutes the part that differs. Saved as {@code "rlhf4j_pooling": "response"}.
 */
public enum EncoderPooling {
  CLS {
    @Override Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask, Tensor response) { return pooler.forward(hidden); }
  },
  MEAN {
    @Override Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask, Tensor response) {
      return pooler.dense(Pooling.mean(hidden, mask));
    }
  },
  RESPONSE {
    @Override Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask, Tensor response) {
      if (response == null) throw new IllegalStateException("response pooling needs the response mask (score a Batch or rows)");
      return pooler.dense(Pooling.mean(hidden, response));
    }
  };

  /** config.json's key for a pooling other than transformers' [CLS]. */
  static final String CONFIG_KEY = "rlhf4j_pooling";

  /**
   * Last hidden states (B, T, H), 0/1 attention mask (B, T) and 0/1 response mask (B, T; 1 on the response's tokens,
   * null when unknown) to the pooled output (B, H).
   */
  abstract Tensor pool(BertPooler pooler, Tensor hidden, Tensor mask, Tensor response);

  /** Whether the pooled output needs the response mask ({@link #RESPONSE}). */
  boolean needsResponseMask() { return this == RESPONSE; }

  /** The name used in flags and config.json: "cls", "mean" or "response". */
  public String key() { return name().toLowerCase(Locale.ROOT); }

  /** "cls", "mean" or "response" (case-insensitive); anything else is an error naming {@code what} and the choices. */
  public static EncoderPooling parse(String name, String what) {
    for (EncoderPooling p : values()) if (p.key().equalsIgnoreCase(name.trim())) return p;
    throw new IllegalArgumentException(what + ": unknown pooling '" + name + "' (expected cls, mean or response)");
  }
}
