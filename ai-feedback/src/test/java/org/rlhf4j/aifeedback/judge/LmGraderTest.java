package org.rlhf4j.aifeedback.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/** The pointwise grader on the real pretrained stories260K model: expected grades checked against direct forward passes. */
class LmGraderTest {
  private static CausalLM model;
  private static Tokenizer tok;

  @BeforeAll
  static void load() {
    Path dir = Shared.require("fixtures/stories260K");
    model = CausalLM.load(dir);
    tok = Tokenizer.load(dir);
  }

  @AfterAll
  static void close() { if (tok != null) tok.close(); }

  /** E[grade] = the grades' probabilities after the request, renormalised over the grades, times their values. */
  @Test
  void expectedGradeEqualsTheDistributionOverTheGrades(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("grader.yaml");
    Files.writeString(file, "template: \"{{ prompt }} {{ response }}. It was\"\ngrades: [\"1\", \"2\", \"3\"]\nchat: false\n");
    GradeTemplate t = GradeTemplate.load(file);
    LmGrader grader = new LmGrader(model, tok, t, LmGrader.Options.defaults().withBatchSize(2), "stories");
    List<String> responses = List.of("The dog was happy", "The dog was sad and ran away from the big park", "Yes");
    List<LmGrader.Grade> g = grader.grade("Lily saw a dog.", responses, "");
    for (int i = 0; i < responses.size(); i++) {
      String text = "Lily saw a dog. " + responses.get(i) + ". It was";
      int[] base = tok.encode(text, true);
      double[] lp = new double[3];
      for (int k = 0; k < 3; k++) lp[k] = optionLogProb(base, tok.encode(text + (k + 1), true));
      double z = Arrays.stream(lp).map(Math::exp).sum(), expected = 0;
      for (int k = 0; k < 3; k++) expected += (k + 1) * Math.exp(lp[k]) / z;
      assertThat(g.get(i).expected()).as("response " + i).isCloseTo(expected, within(1e-4));
      assertThat(g.get(i).mass()).isCloseTo(z, within(1e-4));
      assertThat(Arrays.stream(g.get(i).distribution()).sum()).isCloseTo(1.0, within(1e-9));
    }
  }

  /** Each response is graded alone: the pair probability is symmetric and position bias is zero. */
  @Test
  void hasNoPositionBiasByConstruction() {
    LmGrader grader = new LmGrader(model, tok, GradeTemplate.defaults(), LmGrader.Options.defaults().withTemperature(0.5), "stories");
    List<Comparison> items = List.of(Comparison.of("Say hi.", "Hi!", "Once upon a time there was a ball."),
        Comparison.of("Who is Lily?", "Lily is a girl.", "Dog."));
    List<BothOrders.Debiased> both = BothOrders.of(grader).compareBoth(items);
    List<LmGrader.Grade> g = grader.grade("Say hi.", List.of("Hi!", "Once upon a time there was a ball."), "");
    for (BothOrders.Debiased d : both) {
      assertThat(d.positionShift()).isCloseTo(0.0, within(1e-9));
      assertThat(d.firstOrder()).isCloseTo(d.secondOrder(), within(1e-9));
    }
    double p = 1 / (1 + Math.exp(-(g.get(0).expected() - g.get(1).expected()) / 0.5));
    // The grades above come from a batch of two responses, BothOrders' from one of four: float32 kernels differ by batch
    // shape (padding, row blocking), so the same formula agrees to ~1e-6, not to the last bit.
    assertThat(both.get(0).probabilityA()).isCloseTo(p, within(1e-5));
    assertThat(both.get(0).asked().rationale()).startsWith("graded A ");
  }

  @Test
  void templateErrorsNameTheKeyAndEntry(@TempDir Path tmp) throws Exception {
    Path notNumber = tmp.resolve("g.yaml");
    Files.writeString(notNumber, "template: x\ngrades: [\" 1\", \" good\"]\n");
    assertThatThrownBy(() -> GradeTemplate.load(notNumber)).hasMessageContaining("'grades' entry 2 is not a number").hasMessageContaining(notNumber.toString());
    Path unknown = tmp.resolve("u.yaml");
    Files.writeString(unknown, "template: x\nscale: [1, 2]\n");
    assertThatThrownBy(() -> GradeTemplate.load(unknown)).hasMessageContaining("unknown key 'scale'");
    assertThatThrownBy(() -> new GradeTemplate("x", List.of(" 1"), "", null, false, "t")).hasMessageContaining("at least two");
    assertThatThrownBy(() -> new LmGrader.Options(4, 0)).hasMessageContaining("temperature");
  }

  /** log p(full[base.length..] | base) by one unpadded forward pass over {@code full}. */
  private static double optionLogProb(int[] base, int[] full) {
    assertThat(Arrays.copyOf(full, base.length)).isEqualTo(base);
    try (NativeScope s = NativeScope.open()) {
      long[][] row = {Arrays.stream(full).asLongStream().toArray()};
      Tensor logp = model.forward(Tensors.longs(row, model.device()), null).logits().log_softmax(-1); // (1, T, V)
      float[] all = Tensors.toFloats(logp);
      int v = model.config().vocabSize();
      double sum = 0;
      for (int t = base.length; t < full.length; t++) sum += all[(t - 1) * v + full[t]];
      return sum;
    }
  }
}
