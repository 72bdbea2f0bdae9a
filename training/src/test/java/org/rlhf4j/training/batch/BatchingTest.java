package org.rlhf4j.training.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

class BatchingTest {
  static Tokenizer tok;
  static Encoder enc;

  @BeforeAll static void load() {
    tok = Tiny.tokenizer();
    enc = new Encoder(tok);
  }

  @AfterAll static void close() { if (tok != null) tok.close(); }

  @Test void textPromptGetsBosCompletionGetsEos() {
    Sequence s = enc.encode(Content.text("Once upon a time"), Content.text(" there was a cat."));
    assertThat(s.prompt()).startsWith(1).isEqualTo(tok.encode("Once upon a time", true));
    int[] c = s.completion();
    assertThat(c[c.length - 1]).isEqualTo(2);
    int[] joined = tok.encode("Once upon a time there was a cat.", true); // TRL's join: the completion as inside the text
    assertThat(java.util.Arrays.copyOf(c, c.length - 1)).isEqualTo(java.util.Arrays.copyOfRange(joined, s.prompt().length, joined.length));
    Row r = s.toRow();
    assertThat(r.targets()).isEqualTo(c.length);
    assertThat(r.lossMask()[s.prompt().length - 1]).isZero();
    assertThat(r.lossMask()[s.prompt().length]).isOne();
  }

  @Test void chatUsesChatMlFallbackAndSplitsAtTheAssistantTurn() {
    Content prompt = Content.chat(Message.user("Hi"));
    Sequence s = enc.encode(prompt, Content.text("Hello there"));
    String head = tok.decode(s.prompt(), true);
    assertThat(head).contains("<|im_start|>user").endsWith("assistant\n");
    String tail = tok.decode(s.completion(), true);
    assertThat(tail).startsWith("Hello there").contains("<|im_end|>");
    assertThat(s.completion()[s.completion().length - 1]).isEqualTo(2); // eos: <|im_end|> is no stop token here
  }

  @Test void overLongPromptsAreCutFromTheLeftOrDropped() {
    Sequence longPrompt = new Sequence(new int[] {1, 10, 11, 12, 13, 14}, new int[] {20, 21, 2});
    Sequence longCompletion = new Sequence(new int[] {1, 10}, new int[] {20, 21, 22, 23, 24, 25, 2});
    Sequence fits = new Sequence(new int[] {1}, new int[] {20, 2});
    LengthPolicy.Fitted cut = new LengthPolicy(5, Overflow.TRUNCATE_PROMPT_LEFT).fit(List.of(longPrompt, longCompletion, fits));
    assertThat(cut.kept()).containsExactly(new Sequence(new int[] {13, 14}, new int[] {20, 21, 2}),
        new Sequence(new int[0], new int[] {20, 21, 22, 23, 24}), fits);
    assertThat(cut.promptTruncated()).isEqualTo(2);
    assertThat(cut.completionTruncated()).isEqualTo(1);
    assertThat(cut.summary("sft", 5)).contains("2 of 3 examples longer than 5 tokens");
    LengthPolicy.Fitted drop = new LengthPolicy(5, Overflow.DROP).fit(List.of(longPrompt, longCompletion, fits));
    assertThat(drop.kept()).containsExactly(fits);
    assertThat(drop.dropped()).isEqualTo(2);
    assertThat(drop.summary("sft", 5)).isEqualTo("sft: dropped 2 of 3 examples longer than 5 tokens");
  }

  @Test void collatePadsRightWithPadIdAndMasksPadding() {
    try (NativeScope scope = NativeScope.open()) {
      Batch b = Batch.collate(List.of(new Row(new int[] {5, 6, 7}, new int[] {0, 1, 1}), new Row(new int[] {8}, new int[] {1})), 0, Device.CPU);
      assertThat(Tensors.toLongs(b.ids())).containsExactly(5, 6, 7, 8, 0, 0);
      assertThat(Tensors.toLongs(b.attentionMask())).containsExactly(1, 1, 1, 1, 0, 0);
      assertThat(Tensors.toLongs(b.lossMask())).containsExactly(0, 1, 1, 1, 0, 0);
      assertThat(b.padded()).isTrue();
      assertThat(b.tokens()).isEqualTo(4);
      assertThat(b.ids().size(0)).isEqualTo(2);
    }
  }

  @Test void blocksConcatenateDocumentsIntoFixedLengthAndDropTheTail() {
    List<Row> blocks = Packing.blocks(List.of(new int[] {1, 2, 3}, new int[] {4, 5}, new int[] {6, 7, 8, 9}), 4);
    assertThat(blocks).containsExactly(Row.allTargets(new int[] {1, 2, 3, 4}), Row.allTargets(new int[] {5, 6, 7, 8}));
    assertThat(Packing.blocks(List.of(new int[] {1, 2}), 8)).containsExactly(Row.allTargets(new int[] {1, 2}));
  }

  @Test void packJoinsWholeExamplesWithTheirMasks() {
    Row a = new Row(new int[] {1, 2, 3}, new int[] {0, 1, 1});
    Row b = new Row(new int[] {4, 5}, new int[] {0, 1});
    Row c = new Row(new int[] {6, 7, 8}, new int[] {0, 0, 1});
    assertThat(Packing.pack(List.of(a, b, c), 5))
        .containsExactly(new Row(new int[] {1, 2, 3, 4, 5}, new int[] {0, 1, 1, 0, 1}), c);
  }

  @Test void samplerCoversEveryItemEachEpochAndSeeksExactly() {
    BatchSampler s = new BatchSampler(10, 5, 7, true);
    List<Integer> epoch = new ArrayList<>(s.next());
    epoch.addAll(s.next());
    assertThat(epoch).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    List<Integer> third = s.next();
    BatchSampler resumed = new BatchSampler(10, 5, 7, true);
    resumed.seek(2);
    assertThat(resumed.next()).isEqualTo(third);
    assertThat(new BatchSampler(3, 2, 1, false).next()).containsExactly(0, 1);
    assertThatThrownBy(() -> new BatchSampler(0, 2, 1, true)).hasMessageContaining("empty");
  }

  @Test void lengthGroupedBatchesPadLittleCoverEveryItemAndSeekExactly() {
    int n = 2000, batch = 8;
    int[] lengths = new int[n];
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < n; i++) lengths[i] = 1 + rnd.nextInt(60);
    BatchSampler grouped = BatchSampler.groupedByLength(lengths, batch, 5), plain = new BatchSampler(n, batch, 5, true);
    List<Integer> epoch = new ArrayList<>();
    long padGrouped = 0, padPlain = 0;
    for (int b = 0; b < n / batch; b++) {
      List<Integer> g = grouped.next(), p = plain.next();
      epoch.addAll(g);
      padGrouped += padding(g, lengths);
      padPlain += padding(p, lengths);
    }
    assertThat(epoch).hasSize(n).doesNotHaveDuplicates();
    assertThat(padGrouped).as("padding tokens, grouped vs plain (%d)", padPlain).isLessThan(padPlain / 5);
    List<Integer> next = grouped.next();
    BatchSampler resumed = BatchSampler.groupedByLength(lengths, batch, 5);
    resumed.seek(n / batch);
    assertThat(resumed.next()).isEqualTo(next);
    assertThat(BatchSampler.groupedByLength(lengths, batch, 6).next()).isNotEqualTo(BatchSampler.groupedByLength(lengths, batch, 5).next());
  }

  @Test void bucketedBatchesPadAsLittleInRandomOrderCoverEveryItemAndSeekExactly() {
    int n = 4000, batch = 8;
    int[] lengths = new int[n];
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < n; i++) lengths[i] = 1 + rnd.nextInt(60);
    BatchSampler bucketed = BatchSampler.bucketedByLength(lengths, batch, 5), grouped = BatchSampler.groupedByLength(lengths, batch, 5);
    List<Integer> epoch = new ArrayList<>();
    long padBucketed = 0, padGrouped = 0;
    int runsBucketed = 0, runsGrouped = 0; // steps whose batch's mean length is within 2 of the one before
    double lastB = -1, lastG = -1;
    for (int b = 0; b < n / batch; b++) {
      List<Integer> x = bucketed.next(), g = grouped.next();
      epoch.addAll(x);
      padBucketed += padding(x, lengths);
      padGrouped += padding(g, lengths);
      double mb = x.stream().mapToInt(i -> lengths[i]).average().orElseThrow(), mg = g.stream().mapToInt(i -> lengths[i]).average().orElseThrow();
      runsBucketed += b > 0 && Math.abs(mb - lastB) < 2 ? 1 : 0;
      runsGrouped += b > 0 && Math.abs(mg - lastG) < 2 ? 1 : 0;
      lastB = mb;
      lastG = mg;
    }
    assertThat(epoch).hasSize(n).doesNotHaveDuplicates();
    assertThat(padBucketed).as("the same batches as grouped ones, so the same padding").isEqualTo(padGrouped);
    assertThat(runsGrouped).as("grouped: neighbouring batches of about the same length").isGreaterThan(n / batch * 9 / 10);
    assertThat(runsBucketed).as("bucketed: neighbouring batches of unrelated lengths (grouped: %d)", runsGrouped).isLessThan(n / batch / 4);
    List<Integer> next = bucketed.next();
    BatchSampler resumed = BatchSampler.bucketedByLength(lengths, batch, 5);
    resumed.seek(n / batch);
    assertThat(resumed.next()).isEqualTo(next);
  }

  private static long padding(List<Integer> batch, int[] lengths) {
    int max = batch.stream().mapToInt(i -> lengths[i]).max().orElse(0);
    return batch.stream().mapToLong(i -> max - lengths[i]).sum();
  }
}
