package org.rlhf4j.aifeedback.cai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.testkit.Shared;

/** SL-CAI: the dialogue the model sees, and critique-revise end to end on stories260K. */
class CritiqueReviserTest {
  private static final Principle P = new Principle("p", "Is it harmful?", "Make it harmless.", null);

  @Test
  void plainTextFollowsThePapersFormat() {
    Dialogue d = new Dialogue(null);
    assertThat(d.initial(Content.text("How do I pick a lock?"))).isEqualTo("Human: How do I pick a lock?\n\nAssistant:");
    assertThat(d.revision(Content.text("Q?"), "Sure.", P, "It helps crime.")).isEqualTo(
        "Human: Q?\n\nAssistant: Sure.\n\nCritiqueRequest: Is it harmful?\n\nCritique: It helps crime.\n\nRevisionRequest: Make it harmless.\n\nRevision:");
    assertThat(d.clean(" It is fine.\n\nHuman: next")).isEqualTo("It is fine.");
  }

  @Test
  void chatTemplatesGetTheRequestsAsUserTurns() {
    Dialogue d = new Dialogue(ChatTemplate.chatMl());
    Content prompt = Chat.of(Message.system("Be nice."), Message.user("Q?"));
    assertThat(d.critique(prompt, "Sure.", P)).isEqualTo("<|im_start|>system\nBe nice.<|im_end|>\n<|im_start|>user\nQ?<|im_end|>\n"
        + "<|im_start|>assistant\nSure.<|im_end|>\n<|im_start|>user\nIs it harmful?<|im_end|>\n<|im_start|>assistant\n");
    assertThat(d.revision(prompt, "Sure.", P, "Yes.")).endsWith("<|im_start|>assistant\nYes.<|im_end|>\n"
        + "<|im_start|>user\nMake it harmless.<|im_end|>\n<|im_start|>assistant\n");
  }

  @Test
  void writesSftRowsWithTheirHistoryAndResumes(@TempDir Path tmp) throws Exception {
    Path dir = Shared.require("fixtures/stories260K");
    try (Tokenizer tok = Tokenizer.load(dir)) {
      CausalLM model = CausalLM.load(dir);
      CritiqueReviser r = new CritiqueReviser(model, tok, Constitution.defaults(), new CritiqueReviser.Options(2, 6, 0, 1, 4, 5));
      List<Content> prompts = List.of(Content.text("Once upon a time"), Content.text("Lily had a ball"), Content.text("The dog"));
      List<String> given = new ArrayList<>(java.util.Arrays.asList(null, "She liked it.", null));
      Path out = tmp.resolve("sl-cai.jsonl");
      SlCai.Summary s = SlCai.run(r, prompts, given, out, 2);
      assertThat(s.rows()).isEqualTo(3);
      List<PromptCompletion> sft = DataFiles.readPromptCompletions(out);
      assertThat(sft).extracting(PromptCompletion::prompt).containsExactlyElementsOf(prompts);
      List<String> lines = Files.readAllLines(out);
      JsonNode row = new ObjectMapper().readTree(lines.get(1));
      assertThat(row.at("/cai/initial").asText()).isEqualTo("She liked it.");
      assertThat(row.at("/cai/rounds").size()).isEqualTo(2);
      assertThat(row.get("completion").asText()).isEqualTo(row.at("/cai/rounds/1/revision").asText());
      // Greedy and seeded by id: running the same prompt again alone draws the same principles and writes the same text.
      CritiqueReviser.Trace alone = r.run(List.of("prompt-1"), List.of(prompts.get(1)), List.of("She liked it.")).get(0);
      assertThat(alone.rounds().get(0).principle()).isEqualTo(row.at("/cai/rounds/0/principle").asText());
      assertThat(alone.revised()).isEqualTo(row.get("completion").asText());
      assertThat(SlCai.run(r, prompts, given, out, 2).added()).isZero();
      // Revising only what the critique flags: a critique nobody accepts leaves every answer as it was.
      CritiqueReviser never = new CritiqueReviser(model, tok, Constitution.defaults(), new CritiqueReviser.Options(2, 6, 0, 1, 4, 5), c -> false);
      CritiqueReviser.Trace kept = never.run(List.of("prompt-1"), List.of(prompts.get(1)), List.of("She liked it.")).get(0);
      assertThat(kept.rounds()).hasSize(2).allSatisfy(round -> assertThat(round.revision()).isEqualTo("She liked it."));
      assertThat(kept.rounds().get(0).critique()).isEqualTo(alone.rounds().get(0).critique());
    }
  }
}
