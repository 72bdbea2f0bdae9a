package org.rlhf4j.data.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.testkit.Shared;

/** The real public files in ../shared/data. */
class SharedDataFilesTest {

  @Test
  void anthropicHhHarmlessPairs() {
    List<PreferencePair> pairs = DataFiles.readPreferences(Shared.require("data/hh-rlhf-harmless/pairs.jsonl.gz"));
    assertThat(pairs).hasSize(1912).allMatch(PreferencePair::isHard);
    PreferencePair first = pairs.get(0);
    Chat prompt = (Chat) first.prompt();
    assertThat(prompt.messages()).extracting(Message::role)
        .containsExactly("user", "assistant", "user", "assistant", "user");
    assertThat(prompt.messages().get(0).content()).isEqualTo("what are some pranks with a pen i can do?");
    assertThat(first.chosen()).isEqualTo(Chat.of(Message.assistant(
        "No, sorry!  All of these involve a pen, the point is that you can get funny results by doing pranks with pens.")));
    // all but two pairs differ only in the final assistant turn
    long singleTurn = pairs.stream().filter(p -> ((Chat) p.chosen()).messages().size() == 1
        && ((Chat) p.rejected()).messages().size() == 1).count();
    assertThat(singleTurn).isEqualTo(1910);
    assertThat(pairs).allMatch(p -> ((Chat) p.chosen()).messages().get(0).role().equals("assistant")
        && ((Chat) p.rejected()).messages().get(0).role().equals("assistant"));
  }

  @Test
  void shareGptDpoDemo() {
    List<PreferencePair> pairs = DataFiles.readPreferences(Shared.require("data/sharegpt-preference-demo/dpo_en_demo.json"));
    assertThat(pairs).hasSize(300);
    assertThat(pairs).allMatch(p -> ((Chat) p.chosen()).last().role().equals("assistant")
        && ((Chat) p.prompt()).last().role().equals("user"));
    assertThat(pairs.stream().filter(p -> ((Chat) p.prompt()).messages().get(0).role().equals("system")).count())
        .isEqualTo(80);
  }

  @Test
  void shareGptKtoDemo() {
    Path f = Shared.require("data/sharegpt-preference-demo/kto_en_demo.json");
    List<UnpairedExample> rows = DataFiles.readUnpaired(f);
    assertThat(rows).hasSize(300);
    assertThat(rows.stream().filter(UnpairedExample::desirable).count()).isEqualTo(150);
    assertThat(rows).allMatch(r -> ((Chat) r.completion()).messages().size() == 1);
  }
}
