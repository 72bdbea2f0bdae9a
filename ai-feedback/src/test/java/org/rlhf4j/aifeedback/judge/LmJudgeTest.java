package org.rlhf4j.aifeedback.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The LLM judge on the real pretrained stories260K model: option-token probabilities, checked two ways. */
class LmJudgeTest {
  private static Path dir;
  private static CausalLM model;
  private static Tokenizer tok;

  @BeforeAll
  static void load() {
    dir = Shared.require("fixtures/stories260K");
    model = CausalLM.load(dir);
    tok = Tokenizer.load(dir);
  }

  @AfterAll
  static void close() { if (tok != null) tok.close(); }

  /**
   * Against transformers: a "judging prompt" that is the fixture's own prompt, so the option probabilities must
   * follow from the logits transformers computed at its last position (expected.json).
   */
  @Test
  void readsTheOptionTokensFromTheLogitsTransformersComputes(@TempDir Path tmp) throws Exception {
    JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
    Path file = tmp.resolve("judge.yaml");
    Files.writeString(file, "template: \"Once upon a\"\noptions: [\" time\", \" day\"]\nchat: false\n");
    LmJudge judge = new LmJudge(model, tok, JudgeTemplate.load(file), LmJudge.Options.defaults(), "stories");
    Verdict v = judge.compare(Comparison.of("", "unused", "unused"));

    int time = tok.encode("Once upon a time", false)[3], day = tok.encode("Once upon a day", false)[3];
    assertThat(new int[] {tok.encode("Once upon a time", true)[4]}).containsExactly(378); // the fixture's ids
    JsonNode last = expected.get("logits").get(3); // logits at "a" (position 3), predicting position 4
    double la = last.get(time).asDouble(), lb = last.get(day).asDouble();
    assertThat(v.probabilityA()).isCloseTo(1 / (1 + Math.exp(lb - la)), within(1e-4));
    double lse = logSumExp(last);
    assertThat(v.optionMass()).isCloseTo(Math.exp(la - lse) + Math.exp(lb - lse), within(1e-4));
    assertThat(v.probabilityA()).as("'once upon a time' is what the model expects").isGreaterThan(0.99);
  }

  /** Against a direct forward pass: the default template, several comparisons of different lengths in one padded batch. */
  @Test
  void batchedJudgingEqualsOneForwardPassPerComparison() {
    LmJudge judge = new LmJudge(model, tok, JudgeTemplate.defaults(), LmJudge.Options.defaults().withBatchSize(3), "stories");
    List<Comparison> items = List.of(
        Comparison.of("Tell me a story about a cat.", "The cat sat on the mat and was happy.", "Dog."),
        Comparison.of("Say hi.", "Hi!", "Once upon a time there was a big red ball that liked to roll down the hill."),
        Comparison.of("What is the sky like?", "Blue.", "The sky is blue and the sun is bright."),
        Comparison.of("Who is Lily?", "Lily is a girl.", "Lily is a little girl who likes to play outside."));
    List<Verdict> batched = judge.compare(items);
    for (int i = 0; i < items.size(); i++) {
      String text = judge.requestText(items.get(i)) + "The better response is";
      int[] base = tok.encode(text, true), a = tok.encode(text + " A", true), b = tok.encode(text + " B", true);
      // stories260K's 512 tokens: " A" is two tokens (a space, then "A"), " B" one: whole-option probabilities.
      double la = optionLogProb(base, a), lb = optionLogProb(base, b);
      assertThat(batched.get(i).probabilityA()).as("comparison " + i).isCloseTo(1 / (1 + Math.exp(lb - la)), within(1e-5));
      assertThat(batched.get(i).optionMass()).isCloseTo(Math.exp(la) + Math.exp(lb), within(1e-5));
    }
  }

  /** Single-token options take the one-forward path: P(A) from the next-token distribution at the prompt's end. */
  @Test
  void singleTokenOptionsAreReadFromOneNextTokenDistribution(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("judge.yaml");
    Files.writeString(file, "template: \"{{ prompt }} {{ response_a }} or {{ response_b }}? It was\"\noptions: [\" the\", \" and\"]\nchat: false\n");
    LmJudge judge = new LmJudge(model, tok, JudgeTemplate.load(file), LmJudge.Options.defaults(), "stories");
    List<Comparison> items = List.of(Comparison.of("Lily saw a dog.", "The dog was happy", "The dog was sad"),
        Comparison.of("Tom fell down and cried.", "He was sad", "He was happy"));
    List<Verdict> v = judge.compare(items);
    for (int i = 0; i < items.size(); i++) {
      String text = items.get(i).promptText() + " " + items.get(i).responseA() + " or " + items.get(i).responseB() + "? It was";
      int[] base = tok.encode(text, true), a = tok.encode(text + " the", true), b = tok.encode(text + " and", true);
      assertThat(a.length).isEqualTo(base.length + 1);
      assertThat(b.length).isEqualTo(base.length + 1);
      double la = optionLogProb(base, a), lb = optionLogProb(base, b);
      assertThat(v.get(i).probabilityA()).isCloseTo(1 / (1 + Math.exp(lb - la)), within(1e-5));
    }
  }

  /** log p(full[base.length..] | base) by one unpadded forward pass over {@code full}. */
  private static double optionLogProb(int[] base, int[] full) {
    assertThat(Arrays.copyOf(full, base.length)).isEqualTo(base);
    try (NativeScope s = NativeScope.open()) {
      long[][] row = {Arrays.stream(full).asLongStream().toArray()};
      Tensor logp = model.forward(Tensors.longs(row, model.device()), null).logits().log_softmax(-1); // (1, T, V)
      float[] all = Tensors.toFloats(logp); // (T * V)
      int v = model.config().vocabSize();
      double sum = 0;
      for (int t = base.length; t < full.length; t++) sum += all[(t - 1) * v + full[t]];
      return sum;
    }
  }

  @Test
  void clampingAndTemplateErrors(@TempDir Path tmp) throws Exception {
    LmJudge clamped = new LmJudge(model, tok, JudgeTemplate.defaults(), LmJudge.Options.defaults().withClamp(0.4, 0.6), "stories");
    for (Verdict v : clamped.compare(List.of(Comparison.of("Say hi.", "Hi!", "No."), Comparison.of("Say hi.", "No.", "Hi!")))) {
      assertThat(v.probabilityA()).isBetween(0.4, 0.6);
    }
    assertThatThrownBy(() -> new JudgeTemplate("x", List.of(" A", " A"), "", null, false, "t.yaml"))
        .hasMessageContaining("two different");
    Path unknown = tmp.resolve("unknown.yaml");
    Files.writeString(unknown, "template: x\noptionz: [a, b]\n");
    assertThatThrownBy(() -> JudgeTemplate.load(unknown)).hasMessageContaining("unknown key 'optionz'").hasMessageContaining(unknown.toString());
    Path oneOption = tmp.resolve("one.json");
    Files.writeString(oneOption, "{\"template\": \"x\", \"options\": [\"A\"]}");
    assertThatThrownBy(() -> JudgeTemplate.load(oneOption)).hasMessageContaining("'options'");
  }

  private static double logSumExp(JsonNode row) {
    double max = Double.NEGATIVE_INFINITY, s = 0;
    for (JsonNode x : row) max = Math.max(max, x.asDouble());
    for (JsonNode x : row) s += Math.exp(x.asDouble() - max);
    return max + Math.log(s);
  }
}
