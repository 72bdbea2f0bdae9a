package org.rlhf4j.aifeedback.label;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.ResponsePair;

/**
 * What a labelling run labels: {@link #size} pairs with stable ids, materialised a batch at a time (a policy samples
 * its pairs only when their batch comes, so a resumed run samples only what is left).
 */
public interface PairSource {
  int size();

  /** The id of pair {@code index} (stable across runs, so a resumed run can skip it). */
  String id(int index);

  /** The pairs at these indices; a source may return fewer (e.g. dropping two identical samples). */
  List<LabelItem> items(List<Integer> indices);

  /** Fixed pairs, in order. */
  static PairSource of(List<LabelItem> items) {
    return new PairSource() {
      @Override public int size() { return items.size(); }
      @Override public String id(int index) { return items.get(index).id(); }
      @Override public List<LabelItem> items(List<Integer> indices) { return indices.stream().map(items::get).toList(); }
    };
  }

  /** Unlabelled pairs "pair-0", "pair-1", ... (no reference label). */
  static PairSource unlabelled(List<ResponsePair> pairs) {
    List<LabelItem> out = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      ResponsePair p = pairs.get(i);
      out.add(LabelItem.of("pair-" + i, p.prompt(), Comparison.responseText(p.responseA()), Comparison.responseText(p.responseB()), null));
    }
    return of(out);
  }

  /**
   * Labelled pairs "pair-0", ...: response A is the file's chosen, B its rejected, and the file's label is the
   * reference (P(A) = chosen_probability) that the judge's agreement is measured against.
   */
  static PairSource labelled(List<PreferencePair> pairs) {
    List<LabelItem> out = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair p = pairs.get(i);
      out.add(LabelItem.of("pair-" + i, p.prompt(), Comparison.responseText(p.chosen()), Comparison.responseText(p.rejected()),
          p.chosenProbability()));
    }
    return of(out);
  }

  /** This source with every item passed through {@code f} (e.g. a principle drawn per item). */
  default PairSource map(UnaryOperator<LabelItem> f) {
    PairSource self = this;
    return new PairSource() {
      @Override public int size() { return self.size(); }
      @Override public String id(int index) { return self.id(index); }
      @Override public List<LabelItem> items(List<Integer> indices) { return self.items(indices).stream().map(f).toList(); }
    };
  }
}
