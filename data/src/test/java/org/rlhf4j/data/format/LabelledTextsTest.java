package org.rlhf4j.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.LabelledText;
import org.rlhf4j.testkit.Shared;

class LabelledTextsTest {
  @TempDir Path tmp;

  @Test void readsSst2TsvAndImdbCsvWithQuotedNewlines() throws Exception {
    Files.writeString(tmp.resolve("a.tsv"), "sentence\tlabel\nit 's a \"charming\" journey . \t1\nbleak\t0\n");
    assertThat(LabelledTexts.read(tmp.resolve("a.tsv")))
        .containsExactly(new LabelledText("it 's a \"charming\" journey .", 1), new LabelledText("bleak", 0));
    Files.writeString(tmp.resolve("b.csv"), ",text,label\n0,\"Great, \"\"truly\"\"\nfun\",Positive\n1,dull,Negative\n");
    assertThat(LabelledTexts.read(tmp.resolve("b.csv")))
        .containsExactly(new LabelledText("Great, \"truly\"\nfun", 1), new LabelledText("dull", 0));
  }

  @Test void badLabelsAndColumnsNameTheFileAndLine() throws Exception {
    Files.writeString(tmp.resolve("c.tsv"), "sentence\tlabel\nok\t1\nbad\tmaybe\n");
    assertThatThrownBy(() -> LabelledTexts.read(tmp.resolve("c.tsv"))).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("c.tsv:3").hasMessageContaining("'maybe'");
    Files.writeString(tmp.resolve("d.csv"), "review,stars\nx,1\n");
    assertThatThrownBy(() -> LabelledTexts.read(tmp.resolve("d.csv"))).hasMessageContaining("expected columns 'text' and 'label'");
  }

  @Test void theSharedSentimentSetsLoadWithTheirDocumentedCounts() {
    List<LabelledText> test = LabelledTexts.read(Shared.require("data/sst2/test.tsv"));
    assertThat(test).hasSize(872);
    List<LabelledText> imdb = LabelledTexts.read(Shared.require("data/imdb-small/imdb_small.csv"));
    assertThat(imdb).hasSize(3000);
    assertThat(imdb.stream().filter(t -> t.label() == 1).count()).isEqualTo(1489);
  }
}
