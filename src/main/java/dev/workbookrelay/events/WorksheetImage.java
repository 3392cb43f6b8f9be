package dev.workbookrelay.events;

/** What a worksheet event says about a worksheet. {@code position} is zero-based; visibility is Visible, Hidden or VeryHidden. */
public record WorksheetImage(String id, String name, int position, String visibility, String workbookId) {
}
