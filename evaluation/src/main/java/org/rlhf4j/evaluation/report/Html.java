package org.rlhf4j.evaluation.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** HTML text helpers: escaping every piece of caller text, number formatting. */
final class Html {
  private Html() {}

  static final String STYLE = "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
      + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em}"
      + "th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}"
      + "figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}caption{font-weight:bold;text-align:left}";

  /** Escapes the five HTML-special characters, so caller text can never open a tag or an attribute. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Paragraphs from plain text: blank lines separate paragraphs. */
  static String paragraphs(String text) {
    StringBuilder b = new StringBuilder();
    for (String p : text.strip().split("\\n\\s*\\n")) {
      if (!p.isBlank()) b.append("<p>").append(escape(p.strip())).append("</p>\n");
    }
    return b.toString();
  }

  static String table(Table t) {
    StringBuilder b = new StringBuilder("<table>\n<caption>").append(escape(t.caption())).append("</caption>\n<tr>");
    for (String h : t.header()) b.append("<th>").append(escape(h)).append("</th>");
    b.append("</tr>\n");
    for (List<Object> row : t.rows()) {
      b.append("<tr>");
      for (Object cell : row) {
        b.append(cell instanceof Number ? "<td class=\"num\">" : "<td>").append(escape(cell(cell))).append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</table>\n").toString();
  }

  /** Integers as they are, other numbers to 4 significant digits, NaN / null as a dash. */
  static String cell(Object o) {
    if (o == null) return "–";
    if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) return o.toString();
    if (o instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) return Double.isNaN(d) ? "–" : (d > 0 ? "∞" : "-∞");
      if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
      if (Math.abs(d) < 1e-4 || Math.abs(d) >= 1e9) return String.format(java.util.Locale.ROOT, "%.3e", d);
      return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
    return o.toString();
  }
}
