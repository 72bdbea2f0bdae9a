package org.rlhf4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One record layout a file may use: how to recognise a record of it, and how to turn a record into
 * zero or more values (a ranking read as preferences yields several pairs).
 */
record Layout<T>(String name, Predicate<JsonNode> matches, Function<JsonNode, List<T>> parse) {

  static <T> Layout<T> single(String name, Predicate<JsonNode> matches, Function<JsonNode, T> parse) {
    return new Layout<>(name, matches, row -> List.of(parse.apply(row)));
  }

  /** True when every named field is present and not null. */
  static Predicate<JsonNode> fields(String... names) {
    return row -> {
      for (String n : names) if (!Json.has(row, n)) return false;
      return true;
    };
  }
}
