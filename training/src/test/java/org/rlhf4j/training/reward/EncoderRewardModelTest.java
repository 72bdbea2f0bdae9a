package org.rlhf4j.training.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.LabelledText;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.bert.BertConfig;
import org.rlhf4j.models.bert.BertEncoder;
import org.rlhf4j.models.bert.BertLoader;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.batch.Batch;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.TrainConfig;

/** Encoder (MiniLM / BERT) reward models: the scores are the encoder's pooled output and head, and survive save/load. */
class EncoderRewardModelTest {
  @TempDir Path tmp;
  static RewardModel miniLm;

  static final List<PromptCompletion> ITEMS = List.of(
      new PromptCompletion(Content.text("Once upon a time"), Content.text("there was a happy little dog who loved to play.")),
      new PromptCompletion(Content.text(""), Content.text("A dull, tedious film.")),
      new PromptCompletion(Content.chat(Message.user("How do I bake bread?")), Content.chat(Message.assistant("Mix flour, water and yeast."))));

  @BeforeAll static void load() { miniLm = RewardModel.init(BertEncoder.miniLm(), 3); }

  /** The reward by hand: [CLS] text [SEP] through the encoder, tanh(W_p h_CLS + b_p), then w . pooled + b in doubles. */
  static double direct(BertEncoder enc, Map<String, Tensor> p, String text) { return direct(enc, p, text, false); }

  /** As above; with {@code mean}, the pooler reads the mean of every token's last hidden state (computed in doubles). */
  static double direct(BertEncoder enc, Map<String, Tensor> p, String text, boolean mean) {
    return direct(enc, p, enc.tokenizer().encode(text, true), mean ? 0 : -1); // [CLS] ... [SEP], as transformers' tokenizer(text)
  }

  /** The pooler on h_[CLS] ({@code from} < 0) or on the mean of the last hidden states at positions from..T-1. */
  static double direct(BertEncoder enc, Map<String, Tensor> p, int[] ids, int from) {
    boolean mean = from >= 0;
    try (NativeScope scope = NativeScope.open()) {
      long[] l = java.util.Arrays.stream(ids).asLongStream().toArray();
      long[] ones = new long[l.length];
      java.util.Arrays.fill(ones, 1);
      Tensor hidden = enc.forward(Tensor.create(l, 1, l.length), Tensor.create(ones, 1, l.length)); // (1, T, H)
      float[] h = Tensors.toFloats(hidden.select(1, 0).contiguous());         // (H)
      if (mean) {
        float[] all = Tensors.toFloats(hidden.contiguous());                   // (T * H)
        for (int j = 0; j < h.length; j++) {
          double sum = 0;
          for (int t = from; t < l.length; t++) sum += all[t * h.length + j];
          h[j] = (float) (sum / (l.length - from));
        }
      }
      float[] wp = Tensors.toFloats(p.get("bert.pooler.dense.weight").contiguous()), bp = Tensors.toFloats(p.get("bert.pooler.dense.bias"));
      float[] wc = Tensors.toFloats(p.get("classifier.weight").contiguous()), bc = Tensors.toFloats(p.get("classifier.bias"));
      int n = h.length;
      double score = bc[0];
      for (int i = 0; i < n; i++) {
        double z = bp[i];
        for (int j = 0; j < n; j++) z += (double) wp[i * n + j] * h[j];
        score += wc[i] * Math.tanh(z);
      }
      return score;
    }
  }

  @Test void scoresEqualADirectEncoderForwardPlusPoolerAndHead() {
    double[] ours = miniLm.score(ITEMS);
    BertEncoder enc = ((EncoderBackbone) backbone(miniLm)).encoder;
    String[] texts = {"Once upon a time there was a happy little dog who loved to play.", "A dull, tedious film.",
        "Human: How do I bake bread?\n\nAssistant: Mix flour, water and yeast."};
    for (int i = 0; i < texts.length; i++) {
      double expected = direct(enc, miniLm.parameters(), texts[i]);
      System.out.printf("MiniLM RM score %d: rlhf4j %.8f, direct %.8f%n", i, ours[i], expected);
      assertThat(Math.abs(ours[i] - expected)).as(texts[i]).isLessThan(1e-5);
    }
    assertThat(ours[0]).isNotEqualTo(ours[1]);
  }

  @Test void meanPoolingFeedsThePoolerTheTokenMeanAndSurvivesSaveAndLoad() throws Exception {
    RewardModel mean = RewardModel.init(BertEncoder.miniLm(), EncoderPooling.MEAN, 3);
    double[] ours = mean.score(ITEMS);
    BertEncoder enc = ((EncoderBackbone) backbone(mean)).encoder;
    String[] texts = {"Once upon a time there was a happy little dog who loved to play.", "A dull, tedious film."};
    for (int i = 0; i < texts.length; i++) {
      double expected = direct(enc, mean.parameters(), texts[i], true);
      assertThat(Math.abs(ours[i] - expected)).as(texts[i]).isLessThan(1e-5);
      assertThat(Math.abs(ours[i] - direct(enc, mean.parameters(), texts[i], false))).as("differs from [CLS]").isGreaterThan(1e-4);
    }
    assertThat(Math.abs(mean.score(List.of(ITEMS.get(1)))[0] - ours[1])).as("padding").isLessThan(1e-5);
    Path dir = tmp.resolve("mean");
    mean.save(dir);
    assertThat(new ObjectMapper().readTree(dir.resolve("config.json").toFile()).path("rlhf4j_pooling").asText()).isEqualTo("mean");
    RewardModel back = RewardModel.load(dir);
    assertThat(back.describe()).contains("mean pooling");
    assertThat(back.score(ITEMS)).containsExactly(ours);
    assertThatThrownBy(() -> EncoderPooling.parse("max", "--pooling")).hasMessageContaining("--pooling").hasMessageContaining("cls, mean or response");
  }

  /** Response pooling: the pooler reads the mean over the response's tokens and [SEP] only, the prompt still attended. */
  @Test void responsePoolingAveragesOnlyTheResponseAndSurvivesSaveAndLoad() throws Exception {
    RewardModel rm = RewardModel.init(BertEncoder.miniLm(), EncoderPooling.RESPONSE, 3);
    BertEncoder enc = ((EncoderBackbone) backbone(rm)).encoder;
    List<PromptCompletion> items = List.of(ITEMS.get(0), ITEMS.get(2),
        new PromptCompletion(Content.text("Once upon a time"), Content.text("a storm flattened the village.")));
    double[] ours = rm.score(items);
    String[][] texts = {{"Once upon a time", " there was a happy little dog who loved to play."},
        {"Human: How do I bake bread?", "\n\nAssistant: Mix flour, water and yeast."},
        {"Once upon a time", " a storm flattened the village."}};
    for (int i = 0; i < texts.length; i++) {
      int[] ids = enc.tokenizer().encode(texts[i][0] + texts[i][1], true);
      int from = 1 + enc.tokenizer().encode(texts[i][0], false).length;     // after [CLS] and the prompt
      double expected = direct(enc, rm.parameters(), ids, from);
      assertThat(Math.abs(ours[i] - expected)).as(texts[i][1]).isLessThan(1e-5);
      assertThat(Math.abs(ours[i] - direct(enc, rm.parameters(), ids, 0))).as("differs from the mean over everything").isGreaterThan(1e-4);
    }
    assertThat(Math.abs(rm.score(List.of(items.get(1)))[0] - ours[1])).as("padding").isLessThan(1e-5);
    Batch b = Batch.collate(List.of(rm.row(items.get(0).prompt(), items.get(0).completion(),
        new org.rlhf4j.training.batch.LengthPolicy(64, org.rlhf4j.training.batch.Overflow.TRUNCATE_PROMPT_LEFT))), rm.padId(), Device.CPU);
    assertThatThrownBy(() -> rm.rewards(b.ids(), b.attentionMask())).hasMessageContaining("response mask");
    Path dir = tmp.resolve("response");
    rm.save(dir);
    assertThat(new ObjectMapper().readTree(dir.resolve("config.json").toFile()).path("rlhf4j_pooling").asText()).isEqualTo("response");
    RewardModel back = RewardModel.load(dir);
    assertThat(back.describe()).contains("response pooling");
    assertThat(back.score(items)).containsExactly(ours);
    assertThat(EncoderPooling.parse("Response", "--pooling")).isEqualTo(EncoderPooling.RESPONSE);
  }

  @Test void saveThenLoadGivesIdenticalScoresInHfSequenceClassificationLayout() throws Exception {
    Path dir = tmp.resolve("rm");
    miniLm.save(dir);
    JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(cfg.path("architectures").get(0).asText()).isEqualTo("BertForSequenceClassification");
    assertThat(cfg.path("model_type").asText()).isEqualTo("bert");
    assertThat(cfg.path("num_labels").asInt()).isEqualTo(1);
    assertThat(Files.isRegularFile(dir.resolve("tokenizer.json"))).isTrue();
    Map<String, Tensor> saved = Safetensors.loadDir(dir);
    assertThat(saved).containsKeys("bert.embeddings.word_embeddings.weight", "bert.encoder.layer.5.output.LayerNorm.bias",
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias");
    assertThat(saved.get("classifier.weight").shape()).containsExactly(1, 384);
    assertThat(saved.get("classifier.bias").shape()).containsExactly(1);
    RewardModel back = RewardModel.load(dir);
    assertThat(back.describe()).startsWith("BertForSequenceClassification");
    assertThat(back.score(ITEMS)).containsExactly(miniLm.score(ITEMS));
    assertThat(cfg.has("rlhf4j_pooling")).as("[CLS] pooling is transformers' own: no extra key").isFalse();
  }

  @Test void paddingDoesNotChangeAScore() {
    double alone = miniLm.score(List.of(ITEMS.get(1)))[0];
    double inBatch = miniLm.score(ITEMS)[1];                 // padded to the longest row
    assertThat(Math.abs(alone - inBatch)).isLessThan(1e-5);
  }

  @Test void longTextsKeepClsAndTheEndOfTheResponse() {
    RewardModel rm = RewardModel.init(BertLoader.random(new BertConfig(30522, 32, 1, 2, 64, 64, 2, 1e-12, "gelu"), 1, Device.CPU), 1);
    Row r = rm.row(Content.text("word ".repeat(100)), Content.text("the end"), new org.rlhf4j.training.batch.LengthPolicy(16,
        org.rlhf4j.training.batch.Overflow.TRUNCATE_PROMPT_LEFT));
    int cls = rm.tokenizer().tokenToId("[CLS]").getAsInt(), sep = rm.tokenizer().tokenToId("[SEP]").getAsInt();
    assertThat(r.ids()).hasSize(16);
    assertThat(r.ids()[0]).isEqualTo(cls);
    assertThat(r.ids()[15]).isEqualTo(sep);
    assertThat(rm.tokenizer().decode(java.util.Arrays.copyOfRange(r.ids(), 13, 15), true)).isEqualTo("the end");
    assertThatThrownBy(() -> rm.maxLength(65)).hasMessageContaining("max_position_embeddings");
  }

  @Test void pointwiseTrainingOnLabelsLearnsATinyBertClassifier() {
    BertEncoder tiny = BertLoader.random(new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12, "gelu"), 5, Device.CPU);
    RewardModel rm = RewardModel.init(tiny, 5);
    List<LabelledText> data = new ArrayList<>();
    String[] things = {"film", "movie", "story", "show", "book", "song", "play", "meal"};
    for (String t : things) {
      data.add(new LabelledText("the " + t + " was wonderful", 1));
      data.add(new LabelledText("the " + t + " was awful", 0));
    }
    TrainConfig cfg = TrainConfig.defaults(tmp.resolve("tiny")).toBuilder().lr(3e-3).maxSteps(40).warmupSteps(0).weightDecay(0)
        .logEvery(10).saveEvery(0).build();
    double before = rm.classifierAccuracy(data);
    var r = RewardTrainer.trainLabelled(rm, data, cfg, RewardOptions.defaults().withBatchSize(8).withMaxLength(16), null);
    assertThat(r.finalLoss()).isLessThan(0.2);
    assertThat(rm.classifierAccuracy(data)).isEqualTo(1.0).isGreaterThan(before);
    RewardModel back = RewardModel.load(tmp.resolve("tiny"));
    assertThat(back.scoreTexts(List.of("the song was wonderful"))[0]).isGreaterThan(0);
    assertThat(back.scoreTexts(List.of("the song was awful"))[0]).isLessThan(0);
  }

  static RewardBackbone backbone(RewardModel rm) {
    try {
      var f = RewardModel.class.getDeclaredField("backbone");
      f.setAccessible(true);
      return (RewardBackbone) f.get(rm);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
