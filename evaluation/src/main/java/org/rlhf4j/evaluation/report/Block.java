package org.rlhf4j.evaluation.report;

/** One piece of a {@link Report}, rendered in order. */
public sealed interface Block permits Block.Section, Table, LineChart, BarChart {
  /** A heading with an optional paragraph of plain text (escaped; blank lines start new paragraphs). */
  record Section(String heading, String text) implements Block {
    public Section {
      Checks.text("heading", heading);
      text = text == null ? "" : text;
    }
  }
}
