package dev.workbookrelay.events;

/** The topics events go to; names come from configuration. */
public record EventTopics(String workbooks, String worksheets, String rows, String syncStatus, String deadLetter) {
}
