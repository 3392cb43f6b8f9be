package dev.workbookrelay.graph;

import com.fasterxml.jackson.databind.JsonNode;

/** One Graph GET, by path ({@code /v1.0/...}) or by absolute link, answering the parsed JSON body. */
@FunctionalInterface
public interface GraphGet {

    JsonNode get(String pathOrLink);
}
