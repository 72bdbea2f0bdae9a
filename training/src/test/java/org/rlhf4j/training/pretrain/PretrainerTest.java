package org.rlhf4j.training.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Tiny;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;

class PretrainerTest {
  @TempDir Path tmp;

  static List<String> corpus() {
    List<String> docs = new ArrayList<>();
    String[] names = {"Tom", "Lily", "Sam", "Mia"};
    for (String n : names) {
      docs.add(n + " had a red ball. " + n + " liked to play with the ball in the park.");
      docs.add("One day " + n + " saw a big dog. The dog was happy and " + n + " was happy too.");
    }
    return docs;
  }

  @Test void packedCorpusLossFallsEveryParameterChangesAndTheOutputIsAModelFolder() {
    CausalLM model = Tiny.model(1);
    Map<String, Tensor> before = Tiny.snapshot(model);
    TrainConfig cfg = TrainConfig.defaults(tmp).toBuilder().lr(1e-2).maxSteps(20).logEvery(10).saveEvery(0).build();
    TrainResult r;
    try (Tokenizer tok = Tiny.tokenizer()) {
      r = Pretrainer.train(model, tok, corpus(), cfg, new PretrainOptions(32, 4), Tiny.tokenizerDir());
    }
    double first = r.losses().get(1), last = r.finalLoss();
    assertThat(first).isFinite().isGreaterThan(5.0); // ~ln(512) = 6.24 at random init
    assertThat(last).isFinite().isLessThan(first - 1.5);
    assertThat(Tiny.unchanged(model, before)).isEmpty();
    assertThat(tmp.resolve("config.json")).exists();
    assertThat(tmp.resolve("tokenizer.json")).exists();
    assertThat(tmp.resolve("checkpoint-20").resolve("model.safetensors")).exists();
    CausalLM reloaded = CausalLM.load(tmp);
    model.parameters().forEach((k, v) -> assertThat(reloaded.parameters().get(k).equal(v.detach())).as(k).isTrue());
  }

  @Test void documentsOfATextFileAreItsParagraphs() throws Exception {
    Path f = tmp.resolve("corpus.txt");
    Files.writeString(f, "first doc\nline two\n\n\n  second doc \n\nthird");
    assertThat(Pretrainer.readDocuments(f)).containsExactly("first doc\nline two", "second doc", "third");
  }
}
