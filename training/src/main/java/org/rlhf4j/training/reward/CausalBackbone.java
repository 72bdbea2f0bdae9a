package org.rlhf4j.training.reward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.Content;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.batch.Sequence;

/**
 * A causal LM's final hidden states and {@code score.weight}, read where transformers'
 * {@code *ForSequenceClassification} reads them: at the rightmost token that is not the pad id.
 */
final class CausalBackbone implements RewardBackbone {
  static final String LM_HEAD = "lm_head.weight";

  final CausalLM lm;
  final ScalarHead head;
  final boolean tiedInSource;
  private final Tokenizer tokenizer;  // may be null
  private final Path tokenizerDir;    // may be null
  private final int padId;
  private final Map<String, Tensor> parameters;

  CausalBackbone(CausalLM lm, ScalarHead head, Tokenizer tokenizer, Path tokenizerDir, boolean tiedInSource, Integer padId) {
    this.lm = lm;
    this.head = head;
    this.tokenizer = tokenizer;
    this.tokenizerDir = tokenizerDir;
    this.tiedInSource = tiedInSource;
    this.padId = padId != null ? padId : tokenizer != null ? tokenizer.padId() : lm.config().eosTokenId();
    Map<String, Tensor> p = new LinkedHashMap<>(lm.parameters());
    p.remove(LM_HEAD); // a sequence classifier has no language-model head
    p.putAll(head.parameters());
    this.parameters = Collections.unmodifiableMap(p);
  }

  @Override public Tensor rewards(Tensor ids, Tensor mask) {
    Tensor hidden = lm.hidden(ids, mask);                        // (B, T, C)
    Tensor all = head.forward(hidden);                           // (B, T)
    return all.gather(1, RewardModel.poolIndex(ids, padId)).squeeze(1); // (B)
  }

  @Override public Map<String, Tensor> parameters() { return parameters; }

  /** With LoRA adapters on the LM, only they and the score head train (the base stays frozen). */
  @Override public void requiresGrad(boolean on) {
    if (lm.adapters().isPresent()) {
      lm.requiresGrad(on);
      head.parameters().values().forEach(t -> t.requires_grad_(on));
      return;
    }
    lm.parameters().forEach((k, t) -> t.requires_grad_(on && !k.equals(LM_HEAD)));
    head.parameters().values().forEach(t -> t.requires_grad_(on));
  }

  /** The LoRA adapters' parameters and the score head's (call only with adapters attached). */
  HasParameters trainable() {
    Map<String, Tensor> m = new LinkedHashMap<>(lm.adapters().orElseThrow().parameters());
    m.putAll(head.parameters());
    Map<String, Tensor> view = Collections.unmodifiableMap(m);
    return () -> view;
  }

  Path tokenizerDir() { return tokenizerDir; }

  @Override public Device device() { return lm.device(); }

  @Override public int padId() { return padId; }

  @Override public int maxPositions() { return lm.config().maxPositions(); }

  @Override public Tokenizer tokenizer() { return tokenizer; }

  @Override public Sequence encode(Content prompt, Content completion) {
    if (tokenizer == null) throw new IllegalStateException("this reward model has no tokenizer (no tokenizer.json in its folder)");
    return new Encoder(tokenizer).encode(prompt, completion);
  }

  @Override public int reserved() { return 0; }

  @Override public Row row(Sequence fitted) { return fitted.toRow(); }

  @Override public void save(Path dir) {
    RewardModelIO.save(this, dir);
    try {
      Tokenizer.copyFiles(tokenizerDir, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy tokenizer files to " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override public String describe() {
    return lm.config().family().sequenceClassifierClass() + " (" + lm.config().hiddenSize() + " hidden)";
  }
}
