package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.testkit.Shared;

/** serve-model with two versions under one name: users are routed stickily by the A/B split. */
class AbServingTest {
  @TempDir Path tmp;

  @Test void usersStickToTheirArmAndBothArmsServe() throws Exception {
    Path a = Shared.require("fixtures/stories260K");
    Path b = tmp.resolve("v2");
    CausalLM base = CausalLM.load(a);
    CausalLM.random(base.config(), 5, Device.CPU).save(b);
    Tokenizer.copyFiles(a, b);
    ServedModel va = ServedModel.load(a, "policy"), vb = ServedModel.load(b, "policy");
    assertThat(va.version()).isNotEqualTo(vb.version());
    ServingConfig cfg = ServingConfig.defaults(0).withBatching(8, Duration.ofMillis(1));
    try (ModelServer s = ModelServer.start("policy", List.of(va, vb), null, cfg)) {
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + s.port() + "/v1").apiKey("x").maxRetries(0).build();
      AbSplit split = AbSplit.even("policy", List.of("policy@" + va.version(), "policy@" + vb.version()));
      Map<String, Integer> arms = new HashMap<>();
      for (int u = 0; u < 12; u++) {
        for (int rep = 0; rep < 2; rep++) {
          String served = client.chat().completions().create(ChatCompletionCreateParams.builder().model("policy")
              .addUserMessage("hi").user("user-" + u).maxCompletionTokens(2).temperature(0.0).build()).model();
          assertThat(served).isEqualTo(split.arm("user-" + u)); // sticky, as the split assigns
          arms.merge(served, 1, Integer::sum);
        }
      }
      assertThat(arms).hasSize(2);
      String direct = client.chat().completions().create(ChatCompletionCreateParams.builder().model("policy@" + vb.version())
          .addUserMessage("hi").maxCompletionTokens(2).build()).model();
      assertThat(direct).isEqualTo("policy@" + vb.version());
      assertThat(client.models().list().data()).extracting(m -> m.id())
          .containsExactly("policy", "policy@" + va.version(), "policy@" + vb.version());
      assertThat(s.scrape()).contains("rlhf4j_requests_by_version_total");
    }
  }
}
