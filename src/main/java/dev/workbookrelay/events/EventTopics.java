package dev.workbookrelay.events;

/** The topics events go to; names come from configuration. */
public record EventTopics(String workbooks, String worksheets, String syncStatus, String deadLetter) {
}
