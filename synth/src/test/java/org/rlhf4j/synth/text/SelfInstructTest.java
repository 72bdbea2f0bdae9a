package org.rlhf4j.synth.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.testkit.Shared;

class SelfInstructTest {
  static final List<String> SEEDS = List.of("Once upon a time there was a cat", "Tell me a story about a big tree",
      "The girl went to the park and saw a bird", "Lily and Tom played with a red ball");

  @Test void fewShotPromptListsDistinctPoolPromptsAndLeavesTheNextNumberOpen() {
    String p = SelfInstruct.fewShot(SEEDS, 3, new Random(1));
    assertThat(p).endsWith("\n4. ");
    assertThat(p.lines().filter(l -> l.matches("[123]\\. .*")).distinct().count()).isEqualTo(3);
    assertThat(SelfInstruct.firstLine("  a dog ran\nsecond line")).isEqualTo("a dog ran");
  }

  @Test void acceptedPromptsPassEveryFilter() {
    var dir = Shared.require("fixtures/stories260K");
    try (Tokenizer tok = Tokenizer.load(dir)) {
      CausalLM lm = CausalLM.load(dir);
      SelfInstruct.Config d = SelfInstruct.Config.defaults(6, 1);
      SelfInstruct.Config c = new SelfInstruct.Config(6, 2, 8, 3, 16, 1.0, 1, 8, 200, 0.5, 0.9);
      // a toy embedder (letter histograms, unit length) stands in for MiniLM: the filter logic is what is checked
      SelfInstruct.Embedder letters = texts -> texts.stream().map(SelfInstructTest::letters).toArray(float[][]::new);
      SelfInstruct.Result r = SelfInstruct.generate(lm, tok, SEEDS, c, letters);
      assertThat(r.generated()).isPositive();
      assertThat(r.prompts().size() + r.rejectedLength() + r.rejectedNgram() + r.rejectedEmbedding()).isEqualTo(r.generated());
      NgramDedup check = new NgramDedup(2, 0.5);
      SEEDS.forEach(check::add);
      for (String p : r.prompts()) {
        assertThat(p.length()).isBetween(8, 200);
        assertThat(p).doesNotContain("\n");
        assertThat(check.add(p)).as("no near-duplicate: " + p).isTrue();
      }
      assertThat(d.embeddingThreshold()).isEqualTo(0.85);
    }
  }

  @Test void miniLmThresholdDropsParaphrasesAndKeepsNeighbours() {
    float[][] v = SelfInstruct.miniLm().embed(List.of("How do I bake bread?", "How can I bake bread at home?",
        "Once upon a time there was a cat", "Once upon a time there was a dog", "What is the capital of France?"));
    double threshold = SelfInstruct.Config.defaults(1, 0).embeddingThreshold();
    assertThat(SelfInstruct.maxCosine(v[0], List.of(v[1]))).isGreaterThan(threshold); // measured 0.867
    assertThat(SelfInstruct.maxCosine(v[2], List.of(v[3]))).isLessThan(threshold); // measured 0.781
    assertThat(SelfInstruct.maxCosine(v[0], List.of(v[4]))).isLessThan(0.3); // measured 0.148
  }

  static float[] letters(String s) {
    float[] v = new float[26];
    for (char ch : s.toLowerCase().toCharArray()) if (ch >= 'a' && ch <= 'z') v[ch - 'a']++;
    double n = 0;
    for (float x : v) n += x * x;
    for (int i = 0; i < 26; i++) v[i] /= (float) Math.max(1e-9, Math.sqrt(n));
    return v;
  }
}
