package org.rlhf4j.training.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.batch.Tiny;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;

class SftTrainerTest {
  @TempDir Path tmp;

  static List<PromptCompletion> data() {
    List<PromptCompletion> out = new ArrayList<>();
    String[] animals = {"cat", "dog", "bird", "fish", "frog", "bear"};
    for (String a : animals) {
      out.add(new PromptCompletion(Content.text("What does the " + a + " like?"), Content.text(" The " + a + " likes to play.")));
      out.add(new PromptCompletion(Content.chat(Message.user("Tell me about a " + a)), Content.text("A " + a + " is a friend.")));
    }
    return out;
  }

  @Test void completionOnlyLossFallsAndEveryParameterChanges() {
    CausalLM model = Tiny.model(2);
    Map<String, Tensor> before = Tiny.snapshot(model);
    TrainConfig cfg = TrainConfig.defaults(tmp).toBuilder().lr(1e-2).maxSteps(15).logEvery(5).saveEvery(0).build();
    TrainResult r;
    try (Tokenizer tok = Tiny.tokenizer()) {
      r = SftTrainer.train(model, tok, data(), cfg, SftOptions.defaults().withBatchSize(4).withMaxLength(96), Tiny.tokenizerDir());
    }
    assertThat(r.losses().get(1)).isFinite().isGreaterThan(5.0);
    assertThat(r.finalLoss()).isFinite().isLessThan(r.losses().get(1) - 1.5);
    assertThat(Tiny.unchanged(model, before)).isEmpty();
    assertThat(tmp.resolve("model.safetensors")).exists();
    assertThat(tmp.resolve("tokenizer.json")).exists();
  }

  @Test void packingJoinsExamplesAndStillTrains() {
    CausalLM model = Tiny.model(3);
    TrainConfig cfg = TrainConfig.defaults(tmp).toBuilder().lr(1e-2).maxSteps(10).logEvery(5).saveEvery(0).build();
    try (Tokenizer tok = Tiny.tokenizer()) {
      List<Row> rows = SftTrainer.rows(new Encoder(tok), data(), SftOptions.defaults().withMaxLength(96).withPacking(true));
      assertThat(rows.size()).isLessThan(data().size());
      assertThat(rows).allSatisfy(row -> assertThat(row.length()).isLessThanOrEqualTo(96));
      double loss = SftTrainer.run(model, tok, data(), cfg, SftOptions.defaults().withBatchSize(2).withMaxLength(96).withPacking(true));
      assertThat(loss).isFinite().isLessThan(5.5); // from ~6.3 at random init
    }
  }

  @Test void promptTokensAreNotTargetsUnlessAsked() {
    try (Tokenizer tok = Tiny.tokenizer()) {
      Encoder enc = new Encoder(tok);
      Row only = SftTrainer.rows(enc, data().subList(0, 1), SftOptions.defaults()).get(0);
      Row all = SftTrainer.rows(enc, data().subList(0, 1), SftOptions.defaults().withCompletionOnly(false)).get(0);
      int promptLen = tok.encode("What does the cat like?", true).length;
      assertThat(only.targets()).isEqualTo(only.length() - promptLen);
      assertThat(all.targets()).isEqualTo(all.length());
      assertThatThrownBy(() -> SftTrainer.rows(enc, List.of(), SftOptions.defaults())).hasMessageContaining("no training examples");
    }
  }

  @Test void resumingFromACheckpointGivesTheSameModelAsOneRun() {
    TrainConfig one = TrainConfig.defaults(tmp.resolve("one")).toBuilder().lr(1e-2).maxSteps(6).logEvery(3).saveEvery(3)
        .schedule(org.rlhf4j.training.optim.Schedule.CONSTANT).build(); // lr independent of maxSteps
    TrainConfig half = one.toBuilder().outputDir(tmp.resolve("two")).maxSteps(6).build();
    SftOptions opts = SftOptions.defaults().withBatchSize(3).withMaxLength(96);
    try (Tokenizer tok = Tiny.tokenizer()) {
      CausalLM a = Tiny.model(5);
      SftTrainer.train(a, tok, data(), one, opts, null);
      CausalLM b = Tiny.model(5);
      // the first invocation stops at step 3, the second resumes from its checkpoint to step 6
      SftTrainer.train(b, tok, data(), half.toBuilder().maxSteps(3).build(), opts, null);
      CausalLM c = Tiny.model(99); // different init: everything must come from the checkpoint
      SftTrainer.train(c, tok, data(), half.toBuilder().resume(true).build(), opts, null);
      a.parameters().forEach((k, v) -> assertThat(c.parameters().get(k).detach().allclose(v.detach(), 1e-5, 1e-6, false)).as(k).isTrue());
    }
  }
}
