package org.rlhf4j.synth.table;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How one column is read and modelled: numeric (optionally integer, optionally bounded) or categorical. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = ColumnSpec.Numeric.class, name = "numeric"),
    @JsonSubTypes.Type(value = ColumnSpec.Categorical.class, name = "categorical")})
public sealed interface ColumnSpec permits ColumnSpec.Numeric, ColumnSpec.Categorical {
  String name();

  /** The spec's type as written in a schema file. */
  @JsonIgnore String typeName();

  /** True when {@code c} holds this spec's kind of values. */
  boolean holds(Column c);

  /**
   * A numeric column; {@code min}/{@code max} bound synthetic values (infinite when unbounded) and {@code integer}
   * rounds them. Missing values (NaN) are modelled by the synthesizers as their own state.
   */
  record Numeric(String name, boolean integer, double min, double max) implements ColumnSpec {
    public Numeric {
      Schema.checkName(name);
      if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
        throw new IllegalArgumentException("column '" + name + "': min " + min + " must be <= max " + max);
      }
    }

    public static Numeric unbounded(String name, boolean integer) {
      return new Numeric(name, integer, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** {@code v} rounded when integer and clamped into [min, max]; NaN stays NaN. */
    public double constrain(double v) {
      if (Double.isNaN(v)) return v;
      double r = integer ? Math.rint(v) : v;
      return Math.max(min, Math.min(max, r));
    }

    @Override public String typeName() { return "numeric"; }

    @Override public boolean holds(Column c) { return c instanceof Column.Numeric; }
  }

  /** A categorical column: every distinct text (including a missing-value token such as {@code ?}) is a category. */
  record Categorical(String name) implements ColumnSpec {
    public Categorical { Schema.checkName(name); }

    @Override public String typeName() { return "categorical"; }

    @Override public boolean holds(Column c) { return c instanceof Column.Categorical; }
  }
}
