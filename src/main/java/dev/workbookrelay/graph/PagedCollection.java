package dev.workbookrelay.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The elements of a Graph collection across all its pages, fetched lazily: a page is requested only when the
 * previous one is used up, so a drive of any size costs one page of memory. The final page's
 * {@code @odata.deltaLink} is kept for the caller.
 */
public final class PagedCollection implements Iterator<JsonNode> {

    private final GraphGet graph;
    private String next;
    private Iterator<JsonNode> page;
    private String previousLink;
    private String deltaLink;
    private int pages;

    public PagedCollection(GraphGet graph, String firstPath) {
        this.graph = graph;
        this.next = firstPath;
    }

    @Override
    public boolean hasNext() {
        while (page == null || !page.hasNext()) {
            if (next == null) {
                return false;
            }
            load(next);
        }
        return true;
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.next();
    }

    private void load(String link) {
        JsonNode body = graph.get(link);
        pages++;
        JsonNode value = body.get("value");
        if (value == null || !value.isArray()) {
            throw new IllegalStateException("Graph page has no 'value' array: " + link);
        }
        page = value.elements();
        previousLink = link;
        String nextLink = text(body, "@odata.nextLink");
        // a link that repeats itself would page forever; Nango's own paginator stops there too
        next = nextLink == null || nextLink.equals(previousLink) ? null : nextLink;
        if (next == null) {
            deltaLink = text(body, "@odata.deltaLink");
        }
    }

    /**
     * The link of the page the last element returned by {@link #next()} came from: where to resume so that
     * nothing after that element is missed.
     */
    public String currentLink() {
        return previousLink;
    }

    /** Pages fetched so far. */
    public int pages() {
        return pages;
    }

    /** The link for the next incremental read, once the last page is in; null before that or for non-delta lists. */
    public String deltaLink() {
        return deltaLink;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
