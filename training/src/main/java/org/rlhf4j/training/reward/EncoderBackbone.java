package org.rlhf4j.training.reward;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;
import org.rlhf4j.models.bert.BertEncoder;
import org.rlhf4j.models.bert.BertPooler;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.batch.Sequence;

/**
 * A BERT-family encoder as transformers' {@code BertForSequenceClassification} (num_labels 1) scores: the pooled
 * output tanh(pooler.dense(h_[CLS])) and {@code classifier.weight/bias} on it (or, with {@link EncoderPooling#MEAN},
 * the pooler on the mean of the last hidden states). The scored text is
 * {@code [CLS] prompt response [SEP]} as one segment (token type 0), tokenised as one string (prompt and response
 * joined by a space; conversations rendered "Human: …\n\nAssistant: …"), so for texts within the length limit the
 * score equals transformers' on {@code tokenizer(text)}; longer ones lose the start of the prompt.
 */
final class EncoderBackbone implements RewardBackbone {
  static final String PREFIX = "bert.";

  final BertEncoder encoder;
  final BertPooler pooler;
  final ScalarHead head;
  final EncoderPooling pooling;
  private final int cls, sep;
  private final Map<String, Tensor> parameters;

  EncoderBackbone(BertEncoder encoder, BertPooler pooler, ScalarHead head, EncoderPooling pooling) {
    if (pooling == null) throw new IllegalArgumentException("an encoder reward model needs a pooling (cls or mean)");
    this.pooling = pooling;
    if (head.kind() != ScalarHead.Kind.CLASSIFIER) throw new IllegalArgumentException("an encoder reward model needs a classifier head");
    this.encoder = encoder;
    this.pooler = pooler;
    this.head = head;
    Tokenizer tok = encoder.tokenizer();
    this.cls = tok.tokenToId("[CLS]").orElseThrow(() -> new IllegalArgumentException("the encoder's tokenizer has no [CLS] token"));
    this.sep = tok.tokenToId("[SEP]").orElseThrow(() -> new IllegalArgumentException("the encoder's tokenizer has no [SEP] token"));
    Map<String, Tensor> p = new LinkedHashMap<>();
    encoder.parameters().forEach((k, v) -> p.put(PREFIX + k, v));
    pooler.parameters().forEach((k, v) -> p.put(PREFIX + k, v));
    p.putAll(head.parameters());
    this.parameters = Collections.unmodifiableMap(p);
  }

  /** A fresh reward model on {@code encoder}: its checkpoint's pooler (a fresh one when it has none) and a new head. */
  static EncoderBackbone init(BertEncoder encoder, EncoderPooling pooling, long seed) {
    int h = encoder.hiddenSize();
    BertPooler pooler = encoder.pooler().orElseGet(() -> BertPooler.random(h, seed + 1, encoder.device()));
    return new EncoderBackbone(encoder, pooler, ScalarHead.random(ScalarHead.Kind.CLASSIFIER, h, seed, encoder.device()), pooling);
  }

  /** Right-padded rows (the pooled output reads position 0): ids (B, T), mask (B, T) to (B). Not for response pooling. */
  @Override public Tensor rewards(Tensor ids, Tensor mask) { return rewards(ids, mask, null); }

  /** As {@link #rewards(Tensor, Tensor)}; {@code response} (B, T) 0/1 marks each row's response tokens (may be null). */
  @Override public Tensor rewards(Tensor ids, Tensor mask, Tensor response) {
    Tensor hidden = encoder.forward(ids, mask);                   // (B, T, H)
    Tensor pooled = pooling.pool(pooler, hidden, mask, response); // (B, H)
    return head.forward(pooled);                                  // (B)
  }

  @Override public Map<String, Tensor> parameters() { return parameters; }

  /** Top encoder layers that train (with the pooler and head); all when negative. */
  private int trainableLayers = -1;

  void trainableLayers(int k) {
    if (k > encoder.config().numHiddenLayers()) {
      throw new IllegalArgumentException("trainable layers " + k + " exceeds the encoder's " + encoder.config().numHiddenLayers());
    }
    trainableLayers = k;
  }

  /** With {@link #trainableLayers} k >= 0, the embeddings and all but the top k layers stay frozen (requires_grad off). */
  @Override public void requiresGrad(boolean on) {
    int n = encoder.config().numHiddenLayers();
    parameters.forEach((name, t) -> t.requires_grad_(on && (trainableLayers < 0 || trains(name, n))));
  }

  private boolean trains(String name, int n) {
    if (!name.startsWith(PREFIX)) return true;                                  // the classifier head
    String rest = name.substring(PREFIX.length());
    if (rest.startsWith("pooler.")) return true;
    if (!rest.startsWith("encoder.layer.")) return false;                       // embeddings
    int layer = Integer.parseInt(rest.substring("encoder.layer.".length(), rest.indexOf('.', "encoder.layer.".length())));
    return layer >= n - trainableLayers;
  }

  @Override public Device device() { return encoder.device(); }

  @Override public int padId() { return encoder.tokenizer().padId(); }

  @Override public int maxPositions() { return encoder.config().maxPositionEmbeddings(); }

  @Override public Tokenizer tokenizer() { return encoder.tokenizer(); }

  /** Prompt tokens and response tokens + [SEP], split where the joint tokenisation stops matching the prompt's own. */
  @Override public Sequence encode(Content prompt, Content completion) {
    String p = render(prompt, false), c = render(completion, true);
    String joined = p.isEmpty() ? c : c.isEmpty() ? p : p + (prompt instanceof Chat ? "\n\n" : " ") + c;
    Tokenizer tok = encoder.tokenizer();
    int[] pIds = p.isEmpty() ? new int[0] : tok.encode(p, false);
    int[] all = tok.encode(joined, false);
    int k = 0;
    while (k < pIds.length && k < all.length && pIds[k] == all[k]) k++;
    int[] completionIds = java.util.Arrays.copyOfRange(all, k, all.length + 1);
    completionIds[completionIds.length - 1] = sep;
    return new Sequence(java.util.Arrays.copyOf(all, k), completionIds);
  }

  @Override public int reserved() { return 1; }

  /** [CLS] + prompt + response (+ [SEP] unless truncation cut it). */
  @Override public Row row(Sequence fitted) {
    Row r = fitted.toRow();
    int[] ids = new int[r.length() + 1], mask = new int[r.length() + 1];
    ids[0] = cls;
    System.arraycopy(r.ids(), 0, ids, 1, r.length());
    System.arraycopy(r.lossMask(), 0, mask, 1, r.length());
    return new Row(ids, mask);
  }

  @Override public void save(Path dir) {
    EncoderRewardIO.save(this, dir);
  }

  @Override public String describe() {
    return "BertForSequenceClassification (" + encoder.config().numHiddenLayers() + " layers, hidden " + encoder.hiddenSize()
        + (pooling == EncoderPooling.CLS ? "" : ", " + pooling.key() + " pooling") + ")";
  }

  private static String render(Content c, boolean response) {
    if (c instanceof Text t) return t.text();
    return ((Chat) c).messages().stream().map(EncoderBackbone::line).collect(Collectors.joining("\n\n"));
  }

  private static String line(Message m) {
    String who = switch (m.role()) {
      case Message.USER -> "Human";
      case Message.ASSISTANT -> "Assistant";
      default -> Character.toUpperCase(m.role().charAt(0)) + m.role().substring(1);
    };
    return who + ": " + m.content();
  }
}
