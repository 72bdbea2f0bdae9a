package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.aifeedback.judge.JudgeTemplate;
import org.rlhf4j.aifeedback.judge.LmJudge;
import org.rlhf4j.aifeedback.judge.OpenAiJudge;
import org.rlhf4j.aifeedback.judge.Verdict;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.serving.ModelServer;
import org.rlhf4j.serving.ServedModel;
import org.rlhf4j.serving.ServingConfig;
import org.rlhf4j.testkit.Shared;

/**
 * The HTTP judge end to end against rlhf4j's own serve-model (the stand-in for vLLM): on llama2.c's stories260K with a
 * chat template, an {@link OpenAiJudge} with prefill reads the same probabilities as an {@link LmJudge} over the same
 * weights in-process; without prefill the option is asked for where the model starts its own answer.
 */
class ServedJudgeTest {
  @TempDir static Path tmp;
  static Path model;
  static ModelServer server;
  // stories-like: the user's text, then the assistant's after a space; the generation prompt adds nothing
  static final String CHAT = "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}"
      + "{% else %}{{ ' ' + m['content'] + eos_token }}{% endif %}{% endfor %}";
  static final JudgeTemplate TEMPLATE = new JudgeTemplate("Lily saw {{ response_a }} and {{ response_b }} in the park.",
      List.of(" the", " a"), " She looked at", null, true, "test template");

  @BeforeAll static void serve() throws Exception {
    Path fixture = Shared.require("fixtures/stories260K");
    model = Files.createDirectories(tmp.resolve("judge"));
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) Files.copy(fixture.resolve(f), model.resolve(f));
    ObjectMapper json = new ObjectMapper();
    ObjectNode cfg = (ObjectNode) json.readTree(fixture.resolve("tokenizer_config.json").toFile());
    cfg.put("chat_template", CHAT);
    json.writeValue(model.resolve("tokenizer_config.json").toFile(), cfg);
    server = ModelServer.start(ServedModel.load(model, "judge"), ServingConfig.defaults(0));
  }

  @AfterAll static void stop() {
    if (server != null) server.close();
  }

  static OpenAiJudge served(boolean prefill) {
    OpenAiJudge.Endpoint e = new OpenAiJudge.Endpoint(URI.create("http://127.0.0.1:" + server.port() + "/v1"), null, "judge");
    return new OpenAiJudge(e, TEMPLATE, OpenAiJudge.Options.defaults().withPrefill(prefill));
  }

  static final List<Comparison> ITEMS = List.of(Comparison.of("a story", "a dog", "a big cat"),
      Comparison.of("a story", "a red ball", "the sun"), Comparison.of("a story", "two birds", "a tree"));

  @Test void withPrefillTheServedJudgeReadsWhatTheInProcessJudgeReads() {
    List<Verdict> local;
    try (Tokenizer tok = Tokenizer.load(model)) {
      local = new LmJudge(CausalLM.load(model).requiresGrad(false), tok, TEMPLATE, LmJudge.Options.defaults(), "lm").compare(ITEMS);
    }
    List<Verdict> http = served(true).compare(ITEMS);
    for (int i = 0; i < ITEMS.size(); i++) {
      // logprobs travel as JSON doubles of float32 values: equal to about 1e-6
      assertThat(http.get(i).probabilityA()).as("item %d", i).isCloseTo(local.get(i).probabilityA(), org.assertj.core.data.Offset.offset(1e-5));
      assertThat(http.get(i).optionMass()).isCloseTo(local.get(i).optionMass(), org.assertj.core.data.Offset.offset(1e-5));
    }
    // without the prefix the served model starts its own answer ("She ..."), where neither option is likely
    assertThatThrownBy(() -> served(false).compare(ITEMS)).isInstanceOf(org.rlhf4j.aifeedback.judge.JudgeException.class)
        .hasMessageContaining("neither option [ the,  a] is among the 20 most likely first tokens");
  }

  @Test void prefillNeedsAnAnswerPrefix() {
    JudgeTemplate none = new JudgeTemplate("{{ response_a }} or {{ response_b }}", List.of(" A", " B"), "", null, true, "bare");
    OpenAiJudge.Endpoint e = new OpenAiJudge.Endpoint(URI.create("http://127.0.0.1:1/v1"), null, "judge");
    assertThatThrownBy(() -> new OpenAiJudge(e, none, OpenAiJudge.Options.defaults().withPrefill(true)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefill needs a template with an answer prefix (bare has none)");
  }

  @Test void prefillOnALocalJudgeIsAUsageError() throws Exception {
    Path pairs = Files.writeString(tmp.resolve("pairs.jsonl"), "{\"prompt\": \"a story\", \"chosen\": \"a dog\", \"rejected\": \"a cat\"}\n");
    CliRun r = CliRun.of("label", "--pairs", pairs.toString(), "--judge", "lm:" + model, "--prefill", "--output", tmp.resolve("l.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--prefill applies to openai judges; none of --judge [lm:" + model + "] is one");
  }
}
