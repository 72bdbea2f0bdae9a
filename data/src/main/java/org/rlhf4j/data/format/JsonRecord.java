package org.rlhf4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON object read from a data file, with the 1-based line it starts on. */
record JsonRecord(long line, JsonNode node) {}
